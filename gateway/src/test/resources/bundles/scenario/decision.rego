# A small stand-in for the reference bundle: the four outcomes for the seeds' scenario.
package portcullis

import rego.v1

default decision := {"outcome": "deny", "reasons": ["nothing allows this"]}

decision := {"outcome": "allow", "reasons": ["connected"]} if input.action == "connect"

reads if {
	input.action == "query"
	every s in input.sql.statements {
		s.type == "select"
		not s.side_effects
	}
}

writes if {
	input.action == "query"
	some s in input.sql.statements
	s.type in {"insert", "update", "delete"}
	every t in input.sql.statements {
		t.type in {"select", "insert", "update", "delete"}
	}
}

decision := {"outcome": "mask", "reasons": ["agents see personal data masked"], "masks": [
	{"column": "email", "strategy": "partial"},
	{"detector": "card_number", "strategy": "redact"},
]} if {
	reads
	"agents" in input.identity.groups
	not "dba" in input.identity.groups
	not input.sql.text == "SELECT 'conflict'"
}

decision := {"outcome": "allow", "reasons": ["dba reads"]} if {
	reads
	"dba" in input.identity.groups
}

decision := {"outcome": "require_approval", "reasons": ["writes need a dba"], "approval": {"reviewers": ["dba"]}} if {
	writes
	not input.sql.text == "SELECT 'conflict'"
}

# Two different values for one complete rule: an evaluation error, as a buggy policy would produce.
decision := {"outcome": "allow"} if input.sql.text == "SELECT 'conflict'"

decision := {"outcome": "deny", "reasons": ["conflicting"]} if input.sql.text == "SELECT 'conflict'"

# Runs far beyond any evaluation deadline.
decision := {"outcome": "allow"} if {
	input.sql.text == "SELECT 'slow'"
	count([x | some x in numbers.range(1, 100000000); x % 7 == 0]) > 0
}
