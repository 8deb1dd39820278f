package sandbox

import "slices"

// profile is one behaviour of the sandbox, offered as a named target.
type profile struct {
	name        string
	description string
	// rules are what this profile refuses beyond what every profile
	// refuses; the table, with each rule's reply, is in rules.go.
	rules []ruleID
}

// profiles, in display order: the lenient one first.
var profiles = []*profile{
	{
		name: "sandbox",
		description: "Lenient practice server, like many servers a decade ago: " +
			"AUTH is offered before STARTTLS and mail is accepted with or without AUTH.",
	},
	{
		name: "sandbox-strict",
		description: "Strict practice server, like a modern submission server: " +
			"STARTTLS first, then AUTH, then mail; addresses in angle brackets and a real EHLO name.",
		rules: []ruleID{ruleTLSFirst, ruleAuthFirst, ruleHelloName, ruleMailBrackets, ruleRcptBrackets},
	},
}

// lookupProfile finds a profile by name; "" is the lenient profile.
func lookupProfile(name string) (*profile, bool) {
	if name == "" {
		return profiles[0], true
	}
	for _, p := range profiles {
		if p.name == name {
			return p, true
		}
	}
	return nil, false
}

// refuses reports whether the profile applies rule id.
func (p *profile) refuses(id ruleID) bool { return slices.Contains(p.rules, id) }

// authOffered reports whether AUTH is advertised and allowed now.
func (p *profile) authOffered(tlsOn bool) bool { return tlsOn || !p.refuses(ruleTLSFirst) }
