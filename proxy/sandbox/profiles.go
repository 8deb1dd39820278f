package sandbox

// profile is one behaviour of the sandbox, offered as a named target.
type profile struct {
	name        string
	description string
	// tlsFirst hides AUTH until STARTTLS and refuses AUTH and MAIL before it
	// with 530 5.7.0 Must issue a STARTTLS command first.
	tlsFirst bool
	// authFirst refuses MAIL before a successful AUTH with
	// 530 5.7.0 Authentication required.
	authFirst bool
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
			"STARTTLS first, then AUTH, then mail.",
		tlsFirst:  true,
		authFirst: true,
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

// authOffered reports whether AUTH is advertised and allowed now.
func (p *profile) authOffered(tlsOn bool) bool { return tlsOn || !p.tlsFirst }
