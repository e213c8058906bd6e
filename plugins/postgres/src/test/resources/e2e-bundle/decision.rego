# The seeds' scenario for wire-level end-to-end tests: agents read with emails and card numbers masked, writes
# wait for a dba, DDL, role changes and unreadable SQL are denied; dbas read unmasked.
package portcullis

import rego.v1

default decision := {"outcome": "deny", "reasons": ["no rule allows this request"]}

agent if "agents" in input.identity.groups

dba if "dba" in input.identity.groups

statements := input.sql.statements

refused contains "agents may not run DDL or DCL" if {
	agent
	some s in statements
	s.type in {"ddl", "dcl"}
}

refused contains "agents may not change roles" if {
	agent
	some s in statements
	s.role_change
}

refused contains "statements the gateway cannot read are denied" if {
	agent
	some s in statements
	s.type == "unknown"
}

writes if {
	some s in statements
	s.type in {"insert", "update", "delete", "merge", "copy"}
	not copy_out(s)
}

copy_out(s) if {
	s.type == "copy"
	count(s.tables_written) == 0
}

decision := {"outcome": "allow", "reasons": ["connections are open to known identities"]} if {
	input.action == "connect"
}

decision := {"outcome": "allow", "reasons": ["dba reads unmasked"]} if {
	input.action == "query"
	dba
}

decision := {"outcome": "deny", "reasons": sort(refused)} if {
	input.action == "query"
	count(refused) > 0
}

decision := {
	"outcome": "require_approval",
	"reasons": ["agent writes need approval by a dba"],
	"approval": {"reviewers": ["dba"], "approvals_required": 1, "timeout": "5m"},
} if {
	input.action == "query"
	agent
	count(refused) == 0
	writes
}

decision := {
	"outcome": "mask",
	"reasons": ["agents read personal data masked"],
	"masks": [
		{"column": "email", "strategy": "partial"},
		{"detector": "email", "strategy": "redact"},
		{"detector": "card_number", "strategy": "partial"},
	],
} if {
	input.action == "query"
	agent
	count(refused) == 0
	not writes
}

review.allow if "dba" in input.reviewer.groups
