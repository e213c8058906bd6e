package portcullis.review_test

import rego.v1

import data.portcullis.review

requester := {"subject": "cursor-agent", "issuer": "https://dev.portcullis.local", "groups": ["agents"]}

alice := {"subject": "alice", "issuer": "https://dev.portcullis.local", "groups": ["dba"]}

approval(decision) := {"id": "apr_1", "requester": requester, "request": {"request_id": "req_1"}, "decision": decision}

needs_dba := {"outcome": "require_approval", "reasons": ["x"], "approval": {"reviewers": ["dba"], "approvals_required": 2, "timeout": "5m"}}

test_dba_may_approve_an_agents_write if {
	review.allow with input as {"approval": approval(needs_dba), "reviewer": alice}
	review.reasons == [] with input as {"approval": approval(needs_dba), "reviewer": alice}
}

test_nobody_approves_their_own_request if {
	own := object.union(approval(needs_dba), {"requester": alice})
	not review.allow with input as {"approval": own, "reviewer": alice}
	review.reasons == ["reviewers may not approve their own requests"] with input as {"approval": own, "reviewer": alice}
}

test_same_subject_from_another_issuer_is_another_person if {
	other := object.union(alice, {"issuer": "https://other.example"})
	review.allow with input as {"approval": object.union(approval(needs_dba), {"requester": other}), "reviewer": alice}
}

test_reviewer_outside_the_reviewer_groups_refused if {
	carol := {"subject": "carol", "issuer": "https://dev.portcullis.local", "groups": ["oncall"]}
	review.reasons == ["reviewer is not in a reviewer group of this approval"] with input as {"approval": approval(needs_dba), "reviewer": carol}
}

test_agents_never_approve if {
	bot := {"subject": "other-agent", "issuer": "https://dev.portcullis.local", "groups": ["agents", "dba"]}
	review.reasons == ["agents may not approve anything"] with input as {"approval": approval(needs_dba), "reviewer": bot}
}

test_a_reviewer_counts_once if {
	again := object.union(approval(needs_dba), {"approvals": [{"subject": "alice"}]})
	review.reasons == ["each reviewer approves a request once"] with input as {"approval": again, "reviewer": alice}
}

test_approvals_required_comes_from_the_decision if {
	review.approvals_required == 2 with input as {"approval": approval(needs_dba), "reviewer": alice}
	review.approvals_required == 1 with input as {"approval": approval({"outcome": "require_approval"}), "reviewer": alice}
}

test_empty_review_input_is_refused if {
	not review.allow with input as {}
}
