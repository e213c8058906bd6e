package portcullis_test

import rego.v1

drop_table := stmt("ddl", "DROP TABLE customers")

delete_all := object.union(stmt("delete", "DELETE FROM orders"), {"tables_written": ["public.orders"]})

delete_one := object.union(delete_all, {"text": "DELETE FROM orders WHERE id = 1", "has_where": true})

second_person := {"reviewers": ["dba", "oncall"], "approvals_required": 1, "timeout": "5m"}

test_dba_reads_unmasked if {
	decide(query(dba, production, [select_customers])) == {
		"outcome": "allow",
		"reasons": ["people may read and change data"],
	}
}

test_oncall_reads_sensitive_columns_masked_without_detectors if {
	d := decide(query(oncall, staging, [select_customers]))
	d.outcome == "mask"
	{"column": "email", "strategy": "partial"} in d.masks
	every m in d.masks {
		not m.detector
	}
}

test_drop_on_production_needs_second_person if {
	decide(query(dba, production, [drop_table])) == {
		"outcome": "require_approval",
		"reasons": ["destructive statements on production need a second person's approval"],
		"approval": second_person,
	}
}

test_drop_on_staging_allowed if {
	decide(query(dba, staging, [drop_table])).outcome == "allow"
}

test_truncate_on_production_needs_second_person if {
	d := decide(query(oncall, production, [stmt("ddl", "  truncate orders")]))
	d.approval == second_person
}

test_delete_without_where_on_production_needs_second_person if {
	decide(query(oncall, production, [delete_all])).outcome == "require_approval"
	decide(query(oncall, production, [delete_one])).outcome == "allow"
}

test_update_without_where_on_production_needs_second_person if {
	update_all := object.union(stmt("update", "UPDATE orders SET paid = true"), {"tables_written": ["public.orders"]})
	decide(query(dba, production, [update_all])).outcome == "require_approval"
}

test_only_dba_changes_privileges if {
	grant := stmt("dcl", "GRANT SELECT ON orders TO reporting")
	decide(query(oncall, staging, [grant])).reasons == ["only DBAs may change privileges"]
	decide(query(dba, staging, [grant])).outcome == "allow"
}

test_only_dba_accesses_server_files if {
	copy_file := object.union(stmt("copy", "COPY orders TO '/tmp/o.csv'"), {"server_file_access": true, "tables_read": ["public.orders"]})
	decide(query(oncall, staging, [copy_file])).reasons == ["only DBAs may access server files or programs"]
	decide(query(dba, staging, [copy_file])).outcome == "allow"
	decide(query(dba, production, [copy_file])).approval == {"reviewers": ["dba"], "approvals_required": 1, "timeout": "5m"}
}

test_person_unknown_statement_on_production_needs_approval if {
	garbage := stmt("unknown", "VACUUM (PARALLEL 4) orders")
	decide(query(dba, production, [garbage])).reasons == ["unparseable statements on production need a second person's approval"]
	decide(query(dba, staging, [garbage])).outcome == "allow"
}

test_approvals_of_several_statements_merge if {
	copy_file := object.union(stmt("copy", "COPY orders TO '/tmp/o.csv'"), {"server_file_access": true})
	d := decide(query(dba, production, [drop_table, copy_file])) with data.access.approvals.people_production as {"reviewers": ["security"], "approvals_required": 2, "timeout": "2m"}
	d.approval == {"reviewers": ["dba", "oncall", "security"], "approvals_required": 2, "timeout": "2m"}
	count(d.reasons) == 2
}

test_mysql_uses_the_same_rules if {
	mysql_read := object.union(query(agent, {"name": "local-mysql"}, [select_customers]), {"protocol": "mysql"})
	decide(mysql_read).outcome == "mask"
	load_file := object.union(stmt("select", "SELECT LOAD_FILE('/etc/passwd')"), {"functions": ["load_file"]})
	decide(object.union(mysql_read, {"sql": {"text": "x", "statements": [load_file]}})).reasons == ["agents may not access server files or programs"]
}

test_mysql_restricted_table_on_production if {
	read_payments := object.union(stmt("select", "SELECT * FROM payments"), {"tables_read": ["shop.payments"]})
	req := object.union(query(agent, {"name": "prod-mysql"}, [read_payments]), {"protocol": "mysql"})
	decide(req).outcome == "deny"
}
