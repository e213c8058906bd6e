# METADATA
# title: Just-in-time grants
# description: |
#   Who reviews a request for a one-connection credential (`./portcullis access request`). The input is
#   {"identity", "connection": {"name", "tags"}, "grant": {"duration", "duration_seconds", "reason"}}. The
#   gateway files the request when `approval` is defined, and refuses it with `reasons` otherwise. Reviews of a
#   grant request then follow data.portcullis.review like any approval.
package portcullis.grants

import rego.v1

# METADATA
# title: Approval
# description: The reviewers of a grant request are DBAs, two of them for a production connection.
approval := {"reviewers": ["dba"], "approvals_required": approvals_required, "timeout": "15m"} if count(denials) == 0

# METADATA
# title: Approvals required
# description: Two distinct reviewers for a connection tagged production, else one.
default approvals_required := 1

approvals_required := 2 if "production" in object.get(input, ["connection", "tags"], [])

# METADATA
# title: Reasons
# description: Why the request is refused, sorted; empty when it is filed.
reasons := sort(denials)

# METADATA
# title: a grant request needs a reason
# description: Reviewers decide on the requester's stated reason; the ledger keeps it.
denials contains rego.metadata.rule().title if {
	trim_space(object.get(input, ["grant", "reason"], "")) == ""
}

# METADATA
# title: a grant lasts at most 4h
# description: Just in time means short; ask again for more.
denials contains rego.metadata.rule().title if {
	object.get(input, ["grant", "duration_seconds"], 0) > 14400
}
