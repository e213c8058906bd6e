package portcullis.review

import rego.v1

default allow := false

allow if {
	some group in input.reviewer.groups
	group in input.approval.decision.approval.reviewers
}
