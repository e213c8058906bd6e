# The benchmark's gateway decision policy: role lookup from data, SQL action and table checks, masking rules over
# columns, approval rules. Shaped like a real deployment's policy (docs/normalized-request.md input).
package portcullis

import rego.v1

# ---------------------------------------------------------------- decision

default decision := {"outcome": "deny", "reasons": ["no rule allowed the request"]}

decision := {"outcome": "deny", "reasons": sort_reasons(deny_reasons)} if count(deny_reasons) > 0

decision := {"outcome": "require_approval", "reasons": sort_reasons(approval_reasons), "approval": approval} if {
	count(deny_reasons) == 0
	count(approval_reasons) > 0
	allowed
}

decision := {"outcome": "mask", "reasons": ["sensitive columns are masked"], "masks": mask_list} if {
	count(deny_reasons) == 0
	count(approval_reasons) == 0
	count(masks) > 0
	allowed
}

decision := {"outcome": "allow", "reasons": ["allowed"]} if {
	count(deny_reasons) == 0
	count(approval_reasons) == 0
	count(masks) == 0
	allowed
}

sort_reasons(rs) := sort([r | some r in rs])

mask_list := [m | some m in masks]

# ---------------------------------------------------------------- identity and roles

subject := input.identity.subject

roles contains r if some r in data.portcullis.role_bindings.subjects[subject]

roles contains r if {
	some g in input.identity.groups
	some r in data.portcullis.role_bindings.groups[g]
}

is_dba if "dba" in roles

is_agent if "agent" in roles

is_analyst if "analyst" in roles

reads_pii if "pii_reader" in roles

trusted_issuer if input.identity.issuer in data.portcullis.trusted_issuers

via_grant if input.identity.authenticated_by == "grant"

# ---------------------------------------------------------------- connection

production if "production" in input.connection.tags

staging if "staging" in input.connection.tags

is_query if input.action == "query"

is_connect if input.action == "connect"

# ---------------------------------------------------------------- statements

statements := object.get(input, ["sql", "statements"], [])

write_types := {"insert", "update", "delete", "merge", "ddl", "dcl", "copy", "call", "do"}

read_types := {"select", "explain", "set", "transaction", "utility"}

is_write if {
	some s in statements
	s.type in write_types
}

is_read_only if not is_write

tables_read contains t if {
	some s in statements
	some t in s.tables_read
}

tables_written contains t if {
	some s in statements
	some t in s.tables_written
}

tables := tables_read | tables_written

columns contains lower(c) if {
	some s in statements
	some c in s.columns
}

functions_called contains lower(f) if {
	some s in statements
	some f in s.functions
}

schema_of(t) := split(t, ".")[0]

system_table(t) if schema_of(t) in {"pg_catalog", "information_schema", "mysql", "performance_schema"}

forbidden_table(t) if t in data.portcullis.forbidden_tables

# ---------------------------------------------------------------- deny rules

deny_reasons contains "unknown identity: no role for subject or groups" if count(roles) == 0

deny_reasons contains "untrusted token issuer" if {
	input.identity.authenticated_by == "jwt"
	not trusted_issuer
}

deny_reasons contains "agents may only read" if {
	is_agent
	not is_dba
	is_write
}

deny_reasons contains msg if {
	some s in statements
	s.type == "unknown"
	msg := sprintf("statement could not be parsed: %s", [s.error])
}

deny_reasons contains "role changes are not allowed" if {
	some s in statements
	s.role_change
}

deny_reasons contains "server file access is not allowed" if {
	some s in statements
	s.server_file_access
}

deny_reasons contains msg if {
	some t in tables
	forbidden_table(t)
	msg := sprintf("table %s is forbidden", [t])
}

deny_reasons contains msg if {
	some t in tables_written
	system_table(t)
	msg := sprintf("writes to system table %s are forbidden", [t])
}

deny_reasons contains msg if {
	some s in statements
	s.type in {"delete", "update"}
	not s.has_where
	msg := sprintf("%s without WHERE is not allowed", [upper(s.type)])
}

deny_reasons contains "statements with side effects need the dba role" if {
	some s in statements
	s.side_effects
	not is_dba
}

deny_reasons contains msg if {
	some f in functions_called
	f in data.portcullis.dangerous_functions
	not is_dba
	msg := sprintf("function %s is not allowed", [f])
}

deny_reasons contains "DDL in production needs the dba role" if {
	production
	some s in statements
	s.type == "ddl"
	not is_dba
}

deny_reasons contains "DCL statements need the dba role" if {
	some s in statements
	s.type == "dcl"
	not is_dba
}

deny_reasons contains "too many statements in one request" if {
	count(statements) > data.portcullis.limits.max_statements
}

deny_reasons contains "analysts may not write in production" if {
	production
	is_analyst
	not is_dba
	is_write
}

# ---------------------------------------------------------------- approval rules

approval_reasons contains "writes in production need approval" if {
	production
	is_write
	not is_dba
	not is_analyst
}

approval_reasons contains msg if {
	some t in tables_written
	t in data.portcullis.approval_tables
	msg := sprintf("writes to %s need approval", [t])
}

approval_reasons contains "JIT grants in production need a justification" if {
	production
	via_grant
	not input.session.justification
}

reviewers := data.portcullis.reviewer_roles.production if production

else := data.portcullis.reviewer_roles["default"]

approval := {"reviewers": reviewers, "approvals_required": approvals_required, "timeout": "5m"}

default approvals_required := 1

approvals_required := 2 if {
	production
	some t in tables_written
	t in data.portcullis.approval_tables
}

# ---------------------------------------------------------------- masking rules

column_strategy(c) := data.portcullis.masking.columns[c]

table_column_strategy(t, c) := data.portcullis.masking.tables[t][c]

masks contains {"column": c, "strategy": s} if {
	not reads_pii
	some c in columns
	s := column_strategy(c)
}

masks contains {"column": c, "table": t, "strategy": s} if {
	not reads_pii
	some t in tables_read
	some c in columns
	s := table_column_strategy(t, c)
}

masks contains {"detector": d, "strategy": "redact"} if {
	not reads_pii
	is_agent
	is_query
	some d in data.portcullis.masking.detectors
}

# ---------------------------------------------------------------- allow rules

allowed if is_dba

allowed if {
	is_analyst
	is_read_only
}

allowed if {
	is_agent
	is_read_only
}

allowed if {
	is_analyst
	is_write
	not production
}

allowed if is_connect

# ---------------------------------------------------------------- review

default review.allow := false

review.allow if {
	input.reviewer.subject != input.approval.requester.subject
	some r in data.portcullis.role_bindings.subjects[input.reviewer.subject]
	r in input.approval.decision.approval.reviewers
}
