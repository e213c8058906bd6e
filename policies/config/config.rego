# METADATA
# title: Gateway configuration checks
# description: |
#   conftest-style checks for Portcullis gateway config files (examples/*.yaml and production configs):
#   `./portcullis policy check --policy policies --namespace config FILE...`. The input is one parsed YAML file.
package config

import rego.v1

# METADATA
# title: Connections
# description: The configured listeners; an empty list when the file has none.
connections := object.get(input, "connections", [])

# METADATA
# title: Production connection
# description: A connection tagged production.
production(c) if "production" in object.get(c, "tags", [])

# METADATA
# title: not a gateway config
# description: A gateway config lists its listeners under connections.
warn contains msg if {
	count(connections) == 0
	msg := "no connections: is this a Portcullis gateway config?"
}

# METADATA
# title: connection without a name
# description: Names appear in decisions and the ledger; every connection needs one.
deny_unnamed contains msg if {
	some i, c in connections
	object.get(c, "name", "") == ""
	msg := sprintf("connections[%d] has no name", [i])
}

# METADATA
# title: duplicate connection name
# description: Two connections with one name would be indistinguishable in the ledger.
deny_duplicate_name contains msg if {
	some i, c in connections
	some j, d in connections
	i < j
	c.name == d.name
	msg := sprintf("connections[%d] and connections[%d] are both named %q", [i, j, c.name])
}

# METADATA
# title: production upstream without TLS
# description: Traffic to a production server must be encrypted and the server verified.
deny_production_tls contains msg if {
	some c in connections
	production(c)
	not upstream_tls(c)
	msg := sprintf("connection %q is tagged production but its upstream does not use TLS (set upstream.tls)", [conn_name(c)])
}

# METADATA
# title: Upstream TLS
# description: upstream.tls is true, or an object that is not disabled.
upstream_tls(c) if c.upstream.tls == true

upstream_tls(c) if {
	is_object(c.upstream.tls)
	object.get(c.upstream.tls, "enabled", true) == true
	not lower(object.get(c.upstream.tls, "mode", "verify-full")) in {"disable", "disabled", "off", "none"}
}

# METADATA
# title: inline secret
# description: Credentials come from credential_env or credential_file, never from the config file itself.
deny_inline_secret contains msg if {
	walk(input, [path, value])
	count(path) > 0
	key := path[count(path) - 1]
	is_string(key)
	regex.match(`(?i)(password|passwd|secret|token|private_key|api_key|credential)$`, key)
	is_string(value)
	value != ""
	not regex.match(`^\$\{[A-Za-z_][A-Za-z0-9_]*\}$`, value)
	msg := sprintf("%s holds an inline secret; use credential_env or credential_file", [yaml_path(path)])
}

# METADATA
# title: YAML path
# description: A walk path written as the YAML path a person would look for, e.g. connections[0].upstream.password.
yaml_path(path) := concat("", [segment |
	some i, p in path
	segment := path_segment(i, p)
])

# METADATA
# title: Path segment
# description: One step of a walk path, [i] for an array index, .key for an object key (no dot at the start).
path_segment(_, p) := sprintf("[%d]", [p]) if is_number(p)

path_segment(0, p) := p if is_string(p)

path_segment(i, p) := concat("", [".", p]) if {
	i > 0
	is_string(p)
}

# METADATA
# title: connection without a policy
# description: Every connection names the policy that decides its requests, itself or through the top-level policy.
deny_missing_policy contains msg if {
	some c in connections
	policy_of(c) == {}
	msg := sprintf("connection %q names no policy (set policy.bundle, or policy.opa_url for the opa engine)", [conn_name(c)])
}

# METADATA
# title: Policy of a connection
# description: The connection's own policy block, else the file's top-level one, else nothing.
policy_of(c) := c.policy if is_object(c.policy)

policy_of(c) := input.policy if {
	not is_object(c.policy)
	is_object(input.policy)
}

policy_of(c) := {} if {
	not is_object(c.policy)
	not is_object(input.policy)
}

# METADATA
# title: unknown policy engine
# description: The gateway has two engines, embedded (the default) and opa.
deny_policy_engine contains msg if {
	some c in connections
	engine := object.get(policy_of(c), "engine", "embedded")
	not engine in {"embedded", "opa"}
	msg := sprintf("connection %q: unknown policy engine %q (embedded or opa)", [conn_name(c), engine])
}

# METADATA
# title: embedded engine without a bundle
# description: The embedded engine needs the folder of the bundle to load.
deny_policy_bundle contains msg if {
	some c in connections
	p := policy_of(c)
	p != {}
	object.get(p, "engine", "embedded") == "embedded"
	object.get(p, "bundle", "") == ""
	msg := sprintf("connection %q: the embedded engine needs policy.bundle", [conn_name(c)])
}

# METADATA
# title: opa engine without a server
# description: The opa engine asks a running OPA server, named by policy.opa_url.
deny_policy_opa_url contains msg if {
	some c in connections
	p := policy_of(c)
	object.get(p, "engine", "embedded") == "opa"
	object.get(p, "opa_url", "") == ""
	msg := sprintf("connection %q: the opa engine needs policy.opa_url", [conn_name(c)])
}

# METADATA
# title: review rule this bundle does not define
# description: The review path must name the review rule of this bundle (data.portcullis.review.allow).
deny_policy_review contains msg if {
	some c in connections
	review := object.get(policy_of(c), "review", "data.portcullis.review.allow")
	not review in {"data.portcullis.review.allow", "portcullis/review/allow", "portcullis.review.allow"}
	msg := sprintf("connection %q: review rule %q is not defined by this bundle (data.portcullis.review.allow)", [conn_name(c), review])
}

# METADATA
# title: decision rule this bundle does not define
# description: The decision path must name a decision rule of this bundle (data.portcullis.decision).
deny_policy_decision contains msg if {
	some c in connections
	decision := object.get(policy_of(c), "decision", "data.portcullis.decision")
	not decision in bundle_decisions
	msg := sprintf("connection %q: decision %q is not defined by this bundle (expected one of %v)", [conn_name(c), decision, sort(bundle_decisions)])
}

# METADATA
# title: Bundle decisions
# description: The decision rules this bundle defines, in the spellings the gateway accepts.
bundle_decisions := {"data.portcullis.decision", "portcullis/decision", "portcullis.decision"}

# METADATA
# title: superuser on production
# description: A production upstream login should not be a superuser; give the gateway a role with just the rights it needs.
warn_superuser contains msg if {
	some c in connections
	production(c)
	c.upstream.user in {"postgres", "root"}
	msg := sprintf("connection %q logs in to production as superuser %q", [conn_name(c), c.upstream.user])
}

# METADATA
# title: Connection name
# description: The connection's name, or a placeholder when it has none (reported by deny_unnamed).
conn_name(c) := object.get(c, "name", "<unnamed>")
