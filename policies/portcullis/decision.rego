# METADATA
# title: Portcullis reference policy
# description: |
#   Decides every request the gateway sees (PostgreSQL, MySQL and HTTP) from the normalized request in `input`
#   and the access data in `data.access` (data.yaml). The rules in this package only collect findings
#   (denials, approval requests, masks); `decision` turns the strictest of them into the gateway's answer.
package portcullis

import rego.v1

# METADATA
# title: Decision
# description: The strictest outcome any rule asks for; a request no rule allows is denied.
decision := {"outcome": "deny", "reasons": sort(denials)} if {
	count(denials) > 0
} else := {"outcome": "require_approval", "reasons": sort({r.reason | some r in approval_requests}), "approval": approval} if {
	count(approval_requests) > 0
} else := {"outcome": "mask", "reasons": sort(allowances), "masks": [m | some m in masks]} if {
	count(masks) > 0
	count(allowances) > 0
} else := {"outcome": "allow", "reasons": sort(allowances)} if {
	count(allowances) > 0
} else := {"outcome": "deny", "reasons": [nothing_allows]}

# METADATA
# title: no rule allows this request
# description: Fail closed. Reported when no rule denies, holds or allows the request.
nothing_allows := rego.metadata.rule().title

# METADATA
# title: Approval request
# description: |
#   One approval covering every statement that needs one: the reviewer groups of all of them together, the
#   largest number of approvals any of them asks for, and the shortest timeout.
approval := {
	"reviewers": sort({g | some r in approval_requests; some g in r.reviewers}),
	"approvals_required": max({r.approvals_required | some r in approval_requests}),
	"timeout": shortest_timeout,
}

# METADATA
# title: Shortest approval timeout
# description: The timeout (a duration string such as 5m) of the request that must be answered first.
shortest_timeout := [r.timeout |
	some r in approval_requests
	time.parse_duration_ns(r.timeout) == min({time.parse_duration_ns(q.timeout) | some q in approval_requests})
][0]

# Who is asking.

# METADATA
# title: Identity groups
# description: The groups of the identity, as the identity provider or the JIT grant gave them.
identity_groups := {g | some g in object.get(input, ["identity", "groups"], [])}

# METADATA
# title: Roles
# description: The roles that data.access.groups gives the identity's groups.
roles := {data.access.groups[g].role | some g in identity_groups}

# METADATA
# title: Agent
# description: An identity in any agent group; agent rules apply even when it is also in a people group.
is_agent if "agent" in roles

# METADATA
# title: Person
# description: A DBA or an on-call engineer that is not also an agent.
is_person if {
	not is_agent
	some role in roles
	role in {"dba", "oncall"}
}

# METADATA
# title: identity has no role in this gateway
# description: None of the identity's groups is listed in data.access.groups, so nothing is allowed.
denials contains reason if {
	count(roles) == 0
	reason := rego.metadata.rule().title
}

# Where the request goes.

# METADATA
# title: Connection tags
# description: Tags the gateway sent for the connection, plus those data.access.connections lists for its name.
connection_tags := {t | some t in object.get(input, ["connection", "tags"], [])} | {t |
	some t in object.get(data.access.connections, [object.get(input, ["connection", "name"], ""), "tags"], [])
}

# METADATA
# title: Environment
# description: production when tagged so, staging when tagged staging only, and production when untagged.
environment := "production" if {
	"production" in connection_tags
} else := "staging" if {
	"staging" in connection_tags
} else := "production"

# METADATA
# title: Production
# description: The request goes to a production connection, where the stricter rules apply.
production if environment == "production"

# What is asked.

# METADATA
# title: unsupported protocol or action
# description: The policy only knows PostgreSQL and MySQL connects and queries, and HTTP requests.
denials contains reason if {
	not known_request
	reason := rego.metadata.rule().title
}

# METADATA
# title: Known SQL request
# description: A PostgreSQL or MySQL login or query.
known_request if {
	input.protocol in {"postgres", "mysql"}
	input.action in {"connect", "query"}
}

# METADATA
# title: Known HTTP request
# description: A request to an HTTP service behind the gateway.
known_request if {
	input.protocol == "http"
	input.action == "request"
}

# METADATA
# title: known identity may connect
# description: Logging in needs a role; every statement is decided on its own afterwards.
allowances contains reason if {
	input.action == "connect"
	count(roles) > 0
	reason := rego.metadata.rule().title
}

# METADATA
# title: empty query does nothing
# description: Drivers send empty queries to check a connection (pgjdbc isValid); there is nothing to decide.
allowances contains reason if {
	input.action == "query"
	count(statements) == 0
	count(roles) > 0
	reason := rego.metadata.rule().title
}
