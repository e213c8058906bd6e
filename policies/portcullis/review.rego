# METADATA
# title: Review rules
# description: |
#   Who may approve a held request. The input is {"approval": {"id", "requester", "request", "decision",
#   "approvals"?}, "reviewer": identity}; the gateway also refuses requester == reviewer whatever this says.
package portcullis.review

import rego.v1

# METADATA
# title: Allow
# description: The reviewer may approve when no review rule objects.
default allow := false

allow if count(denials) == 0

# METADATA
# title: Reasons
# description: Why the reviewer may not approve, sorted; empty when allowed.
reasons := sort(denials)

# METADATA
# title: Approvals required
# description: How many distinct reviewers must approve; 1 unless the decision asks for more.
approvals_required := object.get(input, ["approval", "decision", "approval", "approvals_required"], 1)

# METADATA
# title: Reviewer groups
# description: The groups of the identity that reviews.
reviewer_groups := {g | some g in object.get(input, ["reviewer", "groups"], [])}

# METADATA
# title: reviewers may not approve their own requests
# description: A second person must look; the same subject from the same issuer is the same person.
denials contains reason if {
	input.reviewer.subject == input.approval.requester.subject
	object.get(input.reviewer, "issuer", "") == object.get(input.approval.requester, "issuer", "")
	reason := rego.metadata.rule().title
}

# METADATA
# title: reviewer is not in a reviewer group of this approval
# description: Only members of the groups the decision named (for example dba) may approve.
denials contains reason if {
	wanted := {g | some g in object.get(input, ["approval", "decision", "approval", "reviewers"], [])}
	count(wanted & reviewer_groups) == 0
	reason := rego.metadata.rule().title
}

# METADATA
# title: agents may not approve anything
# description: Approvals are a human's decision, even for an agent that is also in a reviewer group.
denials contains reason if {
	some g in reviewer_groups
	data.access.groups[g].role == "agent"
	reason := rego.metadata.rule().title
}

# METADATA
# title: each reviewer approves a request once
# description: A second approval by the same reviewer does not count as another person.
denials contains reason if {
	some earlier in object.get(input, ["approval", "approvals"], [])
	earlier.subject == input.reviewer.subject
	reason := rego.metadata.rule().title
}
