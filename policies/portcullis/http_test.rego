package portcullis_test

import rego.v1

api := {"name": "internal-api", "tags": ["production"]}

api_staging := {"name": "staging-api", "tags": ["staging"]}

http_call(identity, conn, method, path) := {
	"request_id": "req_http", "identity": identity, "session": {"id": "sess_http"}, "connection": conn,
	"protocol": "http", "action": "request", "http": {"method": method, "path": path, "headers": {}},
}

test_agent_http_get_masked_by_detectors if {
	decide(http_call(agent, api, "get", "/v1/customers")) == {
		"outcome": "mask",
		"reasons": ["agents read HTTP services with personal data masked"],
		"masks": [
			{"detector": "card_number", "strategy": "redact"},
			{"detector": "email", "strategy": "redact"},
			{"detector": "iban", "strategy": "redact"},
			{"detector": "phone", "strategy": "redact"},
			{"detector": "secret", "strategy": "redact"},
		],
	}
}

test_agent_http_post_needs_approval if {
	d := decide(http_call(agent, api_staging, "POST", "/v1/orders"))
	d.outcome == "require_approval"
	d.approval.reviewers == ["dba"]
}

test_agent_http_admin_paths_denied if {
	decide(http_call(agent, api_staging, "GET", "/admin/users")).reasons == ["agents may not call administrative endpoints"]
	decide(http_call(agent, api_staging, "GET", "/admin")).outcome == "deny"
	decide(http_call(agent, api_staging, "GET", "/administrator")).outcome == "mask"
}

test_people_http_delete_on_production_needs_second_person if {
	decide(http_call(dba, api, "DELETE", "/v1/orders/1")).reasons == ["HTTP DELETE on production needs a second person's approval"]
	decide(http_call(dba, api_staging, "DELETE", "/v1/orders/1")) == {"outcome": "allow", "reasons": ["people may call HTTP services"]}
	decide(http_call(oncall, api, "GET", "/v1/orders")).outcome == "allow"
}

test_http_request_without_http_details_is_denied if {
	req := object.remove(http_call(dba, api, "GET", "/"), ["http"])
	decide(req) == {"outcome": "deny", "reasons": ["no rule allows this request"]}
}
