# METADATA
# title: HTTP rules
# description: |
#   Rules for HTTP services behind the gateway, from the same roles, connection tags and approvers as SQL.
#   Reading methods are reads, every other method is a change.
package portcullis

import rego.v1

# METADATA
# title: HTTP request
# description: The method (upper case) and path of an HTTP request.
http_request := {"method": upper(input.http.method), "path": input.http.path} if input.action == "request"

# METADATA
# title: Reading method
# description: GET, HEAD and OPTIONS (data.access.http.safe_methods) only read.
http_reads if http_request.method in data.access.http.safe_methods

# METADATA
# title: agents may not call administrative endpoints
# description: Paths under data.access.http.agent_denied_paths (such as /admin) are for people only.
denials contains reason if {
	is_agent
	some prefix in data.access.http.agent_denied_paths
	path_under(http_request.path, prefix)
	reason := rego.metadata.rule().title
}

# METADATA
# title: Path under a prefix
# description: The path is the prefix itself or below it, so /admin matches /admin and /admin/x but not /administrator.
path_under(path, prefix) if path == prefix

path_under(path, prefix) if startswith(path, concat("", [prefix, "/"]))

# METADATA
# title: agents read HTTP services with personal data masked
# description: An agent's GET, HEAD or OPTIONS passes; detected personal data and secrets are masked in the response.
allowances contains reason if {
	is_agent
	http_reads
	reason := rego.metadata.rule().title
}

# METADATA
# title: Masks for an agent's HTTP read
# description: The environment's content detectors run over the response.
masks contains {"detector": d, "strategy": detector_strategy} if {
	is_agent
	http_reads
	some d in data.access.detectors[environment]
}

# METADATA
# title: agents may only read HTTP services; changes need a DBA's approval
# description: POST, PUT, PATCH and DELETE from an agent wait for the same approvers as SQL writes.
approval_requests contains request if {
	is_agent
	http_request
	not http_reads
	request := object.union(data.access.approvals.agent_writes, {"reason": rego.metadata.rule().title})
}

# METADATA
# title: people may call HTTP services
# description: DBAs and on-call engineers use every method; DELETE on production needs a second person.
allowances contains reason if {
	is_person
	http_request
	reason := rego.metadata.rule().title
}

# METADATA
# title: HTTP DELETE on production needs a second person's approval
# description: Deleting through an HTTP service on production waits for another DBA or on-call engineer.
approval_requests contains request if {
	is_person
	production
	http_request.method == "DELETE"
	request := object.union(data.access.approvals.destructive, {"reason": rego.metadata.rule().title})
}
