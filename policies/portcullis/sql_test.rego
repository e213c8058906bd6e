package portcullis_test

import rego.v1

import data.portcullis

# Fixtures shaped like the gateway's normalized request.

agent := {"subject": "cursor-agent", "issuer": "https://dev.portcullis.local", "groups": ["agents"], "authenticated_by": "jwt"}

dba := {"subject": "alice", "issuer": "https://dev.portcullis.local", "groups": ["dba"], "authenticated_by": "jwt"}

oncall := {"subject": "bob", "issuer": "https://dev.portcullis.local", "groups": ["oncall"], "authenticated_by": "jwt"}

staging := {"name": "local-postgres", "tags": ["staging"]}

production := {"name": "prod-postgres", "tags": ["production"]}

stmt(type, text) := {
	"text": text, "type": type, "tables_read": [], "tables_written": [], "columns": [], "has_where": false,
	"functions": [], "error": null, "side_effects": false, "role_change": false, "server_file_access": false,
}

select_customers := object.union(stmt("select", "SELECT email FROM customers"), {"tables_read": ["public.customers"], "columns": ["email"]})

insert_order := object.union(stmt("insert", "INSERT INTO orders VALUES (1)"), {"tables_written": ["public.orders"]})

query(identity, conn, stmts) := {
	"request_id": "req_test", "time": "2026-11-22T02:00:00Z", "identity": identity,
	"session": {"id": "sess_test", "client_address": "127.0.0.1", "application_name": "psql"},
	"connection": conn, "protocol": "postgres", "database": "shop", "action": "query",
	"sql": {"text": concat("; ", [s.text | some s in stmts]), "statements": stmts},
}

justified(req) := object.union(req, {"session": {"id": "sess_test", "justification": "ticket 42"}})

decide(req) := d if {
	d := portcullis.decision with input as req
}

staging_agent_masks := [
	{"column": "api_token", "strategy": "redact"},
	{"column": "card_number", "strategy": "partial"},
	{"column": "date_of_birth", "strategy": "hash"},
	{"column": "email", "strategy": "partial"},
	{"column": "iban", "strategy": "redact"},
	{"column": "password_hash", "strategy": "null", "table": "public.users"},
	{"column": "phone", "strategy": "partial"},
	{"detector": "card_number", "strategy": "partial"},
	{"detector": "email", "strategy": "partial"},
	{"detector": "phone", "strategy": "partial"},
	{"detector": "secret", "strategy": "partial"},
]

# Agents reading.

test_agent_select_on_staging_masks_columns_and_detectors if {
	decide(query(agent, staging, [select_customers])) == {
		"outcome": "mask",
		"reasons": ["agents read with personal data masked"],
		"masks": staging_agent_masks,
	}
}

test_agent_select_on_production_redacts_everything if {
	d := decide(query(agent, production, [select_customers]))
	d.outcome == "mask"
	every m in d.masks {
		m.strategy == "redact"
	}
	{"detector": "iban", "strategy": "redact"} in d.masks
	{"column": "email", "strategy": "redact"} in d.masks
}

test_agent_copy_to_client_is_a_read if {
	copy_out := object.union(stmt("copy", "COPY customers TO STDOUT"), {"tables_read": ["public.customers"]})
	decide(query(agent, staging, [copy_out])).outcome == "mask"
}

test_agent_restricted_table_denied_on_production if {
	read_payments := object.union(stmt("select", "SELECT * FROM payments"), {"tables_read": ["public.payments"]})
	decide(query(agent, production, [read_payments])) == {
		"outcome": "deny",
		"reasons": ["agents may not read restricted tables on production"],
	}
	decide(query(agent, staging, [read_payments])).outcome == "mask"
}

test_agent_session_statements_allowed if {
	decide(query(agent, production, [stmt("transaction", "BEGIN"), stmt("set", "SET search_path = shop")])) == {
		"outcome": "allow",
		"reasons": ["session statements are allowed"],
	}
}

test_agent_show_is_a_session_statement if {
	decide(query(agent, production, [stmt("utility", "SHOW search_path")])).outcome == "allow"
	decide(query(agent, staging, [stmt("utility", "VACUUM orders")])).outcome == "require_approval"
}

# Agents changing things.

test_agent_insert_needs_dba_approval if {
	decide(query(agent, staging, [insert_order])) == {
		"outcome": "require_approval",
		"reasons": ["agents may only read; changes need a DBA's approval"],
		"approval": {"reviewers": ["dba"], "approvals_required": 1, "timeout": "5m"},
	}
}

test_agent_hidden_write_needs_approval if {
	cte := object.union(select_customers, {"text": "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "side_effects": true})
	decide(query(agent, staging, [cte])).outcome == "require_approval"
}

test_agent_copy_from_client_needs_approval if {
	copy_in := object.union(stmt("copy", "COPY orders FROM STDIN"), {"tables_written": ["public.orders"]})
	decide(query(agent, staging, [copy_in])).outcome == "require_approval"
}

test_agent_change_on_production_needs_justification if {
	decide(query(agent, production, [insert_order])) == {
		"outcome": "deny",
		"reasons": ["agents must give a justification for changes on production"],
	}
}

test_agent_justified_change_on_production_needs_approval if {
	decide(justified(query(agent, production, [insert_order]))).outcome == "require_approval"
}

# Agents denied.

test_agent_ddl_denied if {
	decide(query(agent, staging, [stmt("ddl", "CREATE TABLE t (id int)")])) == {
		"outcome": "deny",
		"reasons": ["agents may not change the schema"],
	}
}

test_agent_privilege_change_denied if {
	decide(query(agent, staging, [stmt("dcl", "GRANT ALL ON t TO agent")])).reasons == ["agents may not change privileges"]
}

test_agent_role_change_denied if {
	set_role := object.union(stmt("set", "SET ROLE postgres"), {"role_change": true})
	decide(query(agent, staging, [set_role])).reasons == ["agents may not change role"]
}

test_agent_copy_program_denied if {
	copy_program := object.union(stmt("copy", "COPY t FROM PROGRAM 'id'"), {"server_file_access": true, "side_effects": true})
	d := decide(query(agent, staging, [copy_program]))
	d.outcome == "deny"
	"agents may not access server files or programs" in d.reasons
}

test_agent_file_function_denied_without_analyzer_flag if {
	read_file := object.union(stmt("select", "SELECT pg_read_file('/etc/passwd')"), {"functions": ["PG_READ_FILE"]})
	decide(query(agent, staging, [read_file])).reasons == ["agents may not access server files or programs"]
}

test_agent_unknown_statement_denied if {
	garbage := object.union(stmt("unknown", "SELEC 1"), {"error": "syntax error at SELEC"})
	decide(query(agent, staging, [garbage])).reasons == ["unknown or unparseable statements are denied to agents"]
}

test_agent_do_block_denied if {
	decide(query(agent, staging, [stmt("do", "DO $$ BEGIN PERFORM 1; END $$")])).reasons == ["agents may not run anonymous code blocks"]
}

test_agent_unjudged_statement_type_denied if {
	decide(query(agent, staging, [stmt("listen", "LISTEN channel")])).reasons == ["statement not allowed for agents"]
}

test_one_denied_statement_denies_the_whole_query if {
	d := decide(query(agent, staging, [select_customers, stmt("ddl", "DROP TABLE customers")]))
	d == {"outcome": "deny", "reasons": ["agents may not change the schema"]}
}

test_agent_in_dba_group_is_still_an_agent if {
	both := object.union(agent, {"groups": ["agents", "dba"]})
	decide(query(both, staging, [select_customers])).outcome == "mask"
	decide(query(both, staging, [stmt("ddl", "CREATE TABLE t (id int)")])).outcome == "deny"
}

# Identities and connections.

test_identity_without_role_denied if {
	stranger := object.union(agent, {"groups": ["marketing"]})
	decide(query(stranger, staging, [select_customers])) == {
		"outcome": "deny",
		"reasons": ["identity has no role in this gateway"],
	}
}

test_untagged_unknown_connection_is_production if {
	d := decide(query(agent, {"name": "somewhere", "tags": []}, [select_customers]))
	{"column": "email", "strategy": "redact"} in d.masks
}

test_connection_tags_come_from_data_too if {
	d := decide(query(agent, {"name": "prod-postgres"}, [insert_order]))
	d.reasons == ["agents must give a justification for changes on production"]
}

test_connect_allowed_for_known_identity if {
	login := object.remove(object.union(query(agent, production, []), {"action": "connect"}), ["sql"])
	decide(login) == {"outcome": "allow", "reasons": ["known identity may connect"]}
}

test_empty_query_allowed if {
	decide(query(agent, production, [])) == {"outcome": "allow", "reasons": ["empty query does nothing"]}
}

test_unsupported_protocol_denied if {
	ftp := object.union(query(dba, staging, [select_customers]), {"protocol": "ftp"})
	decide(ftp).reasons == ["unsupported protocol or action"]
}

test_unsupported_action_denied if {
	decide(object.union(query(dba, staging, [select_customers]), {"action": "request"})).outcome == "deny"
}
