package portcullis.grants_test

import rego.v1

import data.portcullis.grants

agent := {"subject": "cursor-agent", "issuer": "https://dev.portcullis.local", "groups": ["agents"]}

ask(tags, seconds, reason) := {
	"identity": agent,
	"connection": {"name": "db", "tags": tags},
	"grant": {"duration": "x", "duration_seconds": seconds, "reason": reason},
}

test_a_dba_reviews_a_staging_grant if {
	grants.approval == {"reviewers": ["dba"], "approvals_required": 1, "timeout": "15m"} with input as ask(["staging"], 1800, "ticket 42")
	grants.reasons == [] with input as ask(["staging"], 1800, "ticket 42")
}

test_production_grants_need_two_reviewers if {
	grants.approval.approvals_required == 2 with input as ask(["production"], 1800, "incident 7")
}

test_a_grant_without_a_reason_is_refused if {
	not grants.approval with input as ask([], 1800, "  ")
	grants.reasons == ["a grant request needs a reason"] with input as ask([], 1800, "  ")
}

test_a_grant_longer_than_four_hours_is_refused if {
	not grants.approval with input as ask([], 14401, "all night")
	grants.reasons == ["a grant lasts at most 4h"] with input as ask([], 14401, "all night")
	grants.approval with input as ask([], 14400, "four hours")
}
