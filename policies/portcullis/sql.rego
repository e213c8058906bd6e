# METADATA
# title: SQL rules
# description: |
#   Rules for PostgreSQL and MySQL queries. A query string with several statements is decided as a whole:
#   each statement is judged on its own and the strictest finding wins.
package portcullis

import rego.v1

# METADATA
# title: Statements
# description: The statements of the query as the gateway's SQL analyzer split and classified them.
statements := object.get(input, ["sql", "statements"], []) if input.action == "query"

# Classification of one statement.

# METADATA
# title: Flag
# description: A boolean analyzer flag (side_effects, role_change, server_file_access); absent means false.
flag(s, name) if object.get(s, name, false) == true

# METADATA
# title: Reads
# description: A SELECT or EXPLAIN with no hidden write, or a COPY to the client of tables it only reads.
reads(s) if {
	s.type in data.access.read_types
	not flag(s, "side_effects")
}

reads(s) if {
	s.type == "copy"
	count(object.get(s, "tables_written", [])) == 0
	not flag(s, "side_effects")
	not file_access(s)
}

# METADATA
# title: Changes
# description: Writes data, hides a write (in a CTE, SELECT INTO, EXPLAIN ANALYZE, a volatile function) or is a change type.
changes(s) if {
	s.type in data.access.write_types
	not reads(s)
	not session_statement(s)
}

changes(s) if count(object.get(s, "tables_written", [])) > 0

changes(s) if flag(s, "side_effects")

# METADATA
# title: Session statement
# description: BEGIN, COMMIT, SET, SHOW and the like, which neither read tables nor change data.
session_statement(s) if {
	s.type in data.access.session_types
	not flag(s, "role_change")
	not flag(s, "side_effects")
}

session_statement(s) if {
	s.type == "utility"
	regex.match(`(?i)^\s*show\s`, s.text)
	not flag(s, "side_effects")
}

# METADATA
# title: Server file or program access
# description: COPY to or from a server file or program, LOAD, or a function that reads or writes server files.
file_access(s) if flag(s, "server_file_access")

file_access(s) if {
	some f in object.get(s, "functions", [])
	lower(f) in data.access.file_functions
}

# METADATA
# title: Destructive
# description: DROP, TRUNCATE, or DELETE / UPDATE without a WHERE clause.
destructive(s) if regex.match(`(?i)^\s*(drop|truncate)\b`, s.text)

destructive(s) if {
	s.type in {"delete", "update"}
	not s.has_where
}

# Agents.

# METADATA
# title: unknown or unparseable statements are denied to agents
# description: What the analyzer cannot read cannot be judged; agents must send plain SQL it understands.
denials contains reason if {
	is_agent
	some s in statements
	s.type == "unknown"
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents may not change the schema
# description: DDL (CREATE, ALTER, DROP, ...) is for DBAs.
denials contains reason if {
	is_agent
	some s in statements
	s.type == "ddl"
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents may not change privileges
# description: GRANT, REVOKE and other privilege changes are for DBAs.
denials contains reason if {
	is_agent
	some s in statements
	s.type == "dcl"
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents may not change role
# description: SET ROLE, SET SESSION AUTHORIZATION and RESET ROLE would escape the agent's identity.
denials contains reason if {
	is_agent
	some s in statements
	flag(s, "role_change")
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents may not access server files or programs
# description: COPY ... PROGRAM, COPY to or from a server file, pg_read_file, lo_import, LOAD DATA INFILE and the like.
denials contains reason if {
	is_agent
	some s in statements
	file_access(s)
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents may not run anonymous code blocks
# description: A DO block runs arbitrary procedural code the analyzer cannot see into.
denials contains reason if {
	is_agent
	some s in statements
	s.type == "do"
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents may not read restricted tables on production
# description: Tables listed in data.access.production_restricted_tables stay out of agents' reach on production.
denials contains reason if {
	is_agent
	production
	some s in statements
	some t in object.get(s, "tables_read", [])
	t in data.access.production_restricted_tables
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents must give a justification for changes on production
# description: Set the session's justification (application_name or options) before asking to change production data.
denials contains reason if {
	is_agent
	production
	some s in statements
	changes(s)
	object.get(input, ["session", "justification"], "") == ""
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents may only read; changes need a DBA's approval
# description: Writes, COPY FROM, CALL and hidden writes from an agent are held until a DBA approves them.
approval_requests contains request if {
	is_agent
	some s in statements
	changes(s)
	request := object.union(data.access.approvals.agent_writes, {"reason": rego.metadata.rule().title})
}

# METADATA
# title: agents read with personal data masked
# description: Agents may read; sensitive columns and detected personal data or secrets are masked in the results.
allowances contains reason if {
	is_agent
	some s in statements
	reads(s)
	reason := rego.metadata.rule().title
}

# METADATA
# title: session statements are allowed
# description: Transaction control and SET (other than role changes) neither read nor change data.
allowances contains reason if {
	count(roles) > 0
	some s in statements
	session_statement(s)
	reason := rego.metadata.rule().title
}

# METADATA
# title: Masks for an agent's read
# description: Column masks from data.access.sensitive_columns and the environment's content detectors; production redacts.
masks contains mask if {
	is_agent
	some s in statements
	reads(s)
	some c in data.access.sensitive_columns
	mask := object.union(c, {"strategy": column_strategy(c)})
}

# METADATA
# title: Detector masks for an agent's read
# description: The environment's content detectors (data.access.detectors) run over every text value an agent reads.
masks contains {"detector": d, "strategy": detector_strategy} if {
	is_agent
	some s in statements
	reads(s)
	some d in data.access.detectors[environment]
}

# METADATA
# title: Masks for on-call reads
# description: On-call engineers read without detectors but with the sensitive columns masked.
masks contains mask if {
	"oncall" in roles
	not "dba" in roles
	is_person
	some s in statements
	reads(s)
	some c in data.access.sensitive_columns
	mask := object.union(c, {"strategy": column_strategy(c)})
}

# METADATA
# title: Column strategy
# description: The column's own strategy on staging; production redacts everything.
column_strategy(c) := data.access.production_mask_strategy if production

column_strategy(c) := c.strategy if not production

# METADATA
# title: Detector strategy
# description: Partial on staging so results stay recognisable, the production strategy on production.
detector_strategy := data.access.production_mask_strategy if production

detector_strategy := data.access.staging_detector_strategy if not production

# METADATA
# title: statement not allowed for agents
# description: Fail closed; a statement of a kind no agent rule knows is denied.
denials contains reason if {
	is_agent
	some s in statements
	not agent_judged(s)
	reason := rego.metadata.rule().title
}

# METADATA
# title: Judged for agents
# description: Some agent rule reads, holds, allows or denies this kind of statement.
agent_judged(s) if reads(s)

agent_judged(s) if changes(s)

agent_judged(s) if session_statement(s)

agent_judged(s) if s.type in {"unknown", "ddl", "dcl", "do"}

agent_judged(s) if flag(s, "role_change")

agent_judged(s) if file_access(s)

# People: DBAs and on-call engineers.

# METADATA
# title: people may read and change data
# description: DBAs and on-call engineers run reads, writes and schema changes; destructive ones on production need a second person.
allowances contains reason if {
	is_person
	some s in statements
	not session_statement(s)
	reason := rego.metadata.rule().title
}

# METADATA
# title: destructive statements on production need a second person's approval
# description: DROP, TRUNCATE and DELETE or UPDATE without WHERE on production wait for another DBA or on-call engineer.
approval_requests contains request if {
	is_person
	production
	some s in statements
	destructive(s)
	request := object.union(data.access.approvals.destructive, {"reason": rego.metadata.rule().title})
}

# METADATA
# title: only DBAs may change privileges
# description: On-call engineers may not GRANT or REVOKE.
denials contains reason if {
	is_person
	not "dba" in roles
	some s in statements
	s.type == "dcl"
	reason := rego.metadata.rule().title
}

# METADATA
# title: only DBAs may access server files or programs
# description: On-call engineers may not COPY to or from server files or programs or call file functions.
denials contains reason if {
	is_person
	not "dba" in roles
	some s in statements
	file_access(s)
	reason := rego.metadata.rule().title
}

# METADATA
# title: server file or program access on production needs a second DBA
# description: Even a DBA's COPY ... PROGRAM or file function on production waits for another DBA.
approval_requests contains request if {
	"dba" in roles
	is_person
	production
	some s in statements
	file_access(s)
	request := object.union(data.access.approvals.people_production, {"reason": rego.metadata.rule().title})
}

# METADATA
# title: unparseable statements on production need a second person's approval
# description: The analyzer could not read the statement, so another person must look at it first.
approval_requests contains request if {
	is_person
	production
	some s in statements
	s.type == "unknown"
	request := object.union(data.access.approvals.destructive, {"reason": rego.metadata.rule().title})
}
