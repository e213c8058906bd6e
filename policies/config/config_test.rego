package config_test

import rego.v1

import data.config

good := {
	"connections": [
		{
			"name": "prod-postgres", "protocol": "postgres", "bind": "127.0.0.1:15433", "tags": ["production"],
			"upstream": {"host": "db.internal", "port": 5432, "user": "portcullis", "credential_env": "PG_PASSWORD", "tls": true},
			"policy": {"engine": "embedded", "bundle": "../policies", "decision": "data.portcullis.decision"},
		},
		{
			"name": "local-postgres", "protocol": "postgres", "bind": "127.0.0.1:15432", "tags": ["staging"],
			"upstream": {"host": "127.0.0.1", "port": 5432, "user": "postgres", "credential_file": "pg.pass"},
		},
	],
	"policy": {"bundle": "../policies"},
}

# good with connection i's top-level keys replaced by those of patch (object.union would merge them).
with_connection(i, patch) := object.union(good, {"connections": array.concat(
	array.concat(array.slice(good.connections, 0, i), [object.union(object.remove(good.connections[i], object.keys(patch)), patch)]),
	array.slice(good.connections, i + 1, count(good.connections)),
)})

test_good_config_passes if {
	count(config.deny_production_tls) + count(config.deny_inline_secret) + count(config.deny_missing_policy) == 0 with input as good
	count(config.deny_policy_engine) + count(config.deny_policy_bundle) + count(config.deny_policy_decision) == 0 with input as good
	count(config.deny_unnamed) + count(config.deny_duplicate_name) + count(config.warn) + count(config.warn_superuser) == 0 with input as good
	count(config.deny_policy_opa_url) + count(config.deny_policy_review) == 0 with input as good
}

test_production_upstream_needs_tls if {
	bad := with_connection(0, {"upstream": {"host": "db.internal", "port": 5432, "user": "portcullis", "tls": false}})
	config.deny_production_tls == {`connection "prod-postgres" is tagged production but its upstream does not use TLS (set upstream.tls)`} with input as bad
}

test_tls_object_forms if {
	ok := with_connection(0, {"upstream": {"user": "portcullis", "tls": {"mode": "verify-full", "ca_file": "ca.pem"}}})
	count(config.deny_production_tls) == 0 with input as ok
	off := with_connection(0, {"upstream": {"user": "portcullis", "tls": {"mode": "disable"}}})
	count(config.deny_production_tls) == 1 with input as off
}

test_inline_secret_denied if {
	bad := with_connection(1, {"upstream": {"host": "127.0.0.1", "user": "postgres", "password": "hunter2"}})
	config.deny_inline_secret == {"connections[1].upstream.password holds an inline secret; use credential_env or credential_file"} with input as bad
}

test_environment_placeholder_is_not_a_secret if {
	ok := object.union(good, {"identity": {"client_secret": "${OIDC_SECRET}"}})
	count(config.deny_inline_secret) == 0 with input as ok
	bad := object.union(good, {"identity": {"client_secret": "s3cr3t"}})
	config.deny_inline_secret == {"identity.client_secret holds an inline secret; use credential_env or credential_file"} with input as bad
}

test_connection_without_policy_denied if {
	bad := object.remove(good, ["policy"])
	config.deny_missing_policy == {`connection "local-postgres" names no policy (set policy.bundle, or policy.opa_url for the opa engine)`} with input as bad
}

test_policy_engine_bundle_and_decision_checked if {
	bad := with_connection(0, {"policy": {"engine": "wasm"}})
	count(config.deny_policy_engine) == 1 with input as bad
	no_bundle := with_connection(0, {"policy": {"engine": "embedded"}})
	count(config.deny_policy_bundle) == 1 with input as no_bundle
	opa := with_connection(0, {"policy": {"engine": "opa", "opa_url": "http://127.0.0.1:8181"}})
	count(config.deny_policy_bundle) + count(config.deny_policy_opa_url) == 0 with input as opa
	no_server := with_connection(0, {"policy": {"engine": "opa"}})
	count(config.deny_policy_opa_url) == 1 with input as no_server
	other_review := with_connection(0, {"policy": {"bundle": "../policies", "review": "data.x.allow"}})
	count(config.deny_policy_review) == 1 with input as other_review
	wrong := with_connection(0, {"policy": {"bundle": "../policies", "decision": "data.other.allow"}})
	count(config.deny_policy_decision) == 1 with input as wrong
}

test_connection_names_unique_and_present if {
	dup := with_connection(1, {"name": "prod-postgres"})
	config.deny_duplicate_name == {`connections[0] and connections[1] are both named "prod-postgres"`} with input as dup
	unnamed := object.union(good, {"connections": [object.remove(good.connections[0], ["name"])]})
	config.deny_unnamed == {"connections[0] has no name"} with input as unnamed
}

test_production_superuser_warned if {
	su := with_connection(0, {"upstream": {"user": "postgres", "tls": true}})
	config.warn_superuser == {`connection "prod-postgres" logs in to production as superuser "postgres"`} with input as su
}

test_file_without_connections_warned if {
	config.warn == {"no connections: is this a Portcullis gateway config?"} with input as {"kind": "Deployment"}
}
