package bot

import (
	"strings"
	"unicode"
)

// host is a domain name written in a message. link is set when it counts
// as a link for the links rule.
type host struct {
	name string
	link bool
}

// commonTLDs are the top-level domains that make a bare "name.tld" a link
// without a scheme or a path. Others ("e.g", "ok.thanks", "3.5") are text.
var commonTLDs = func() map[string]bool {
	m := map[string]bool{}
	for _, tld := range strings.Fields(`com net org info biz io co me ly to gl gg tv cc ws
		xyz top club online site website store shop app dev link click live life space fun
		win bid vip icu buzz cam cfd sbs tk ml ga cf gq pw su ru cn uk us eu de fr it es ch
		at be nl pt pl br in ca au nz jp kr mx ar hk sg ae tr ua cz ro gr se no dk fi ie`) {
		m[tld] = true
	}
	return m
}()

// findHosts returns the domain names written in text: addresses with a
// scheme (http, https), addresses starting with "www.", bare domains, and
// the domains of e-mail addresses (which are not links).
func findHosts(text string) []host {
	var out []host
	for _, tok := range strings.FieldsFunc(text, isLinkSeparator) {
		tok = strings.TrimLeft(tok, `.,;:!?'"*_~`)
		tok = strings.TrimRight(tok, `.,;:!?'"*_~`)
		lower := strings.ToLower(tok)
		switch {
		case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
			rest := lower[strings.Index(lower, "//")+2:]
			if at := strings.LastIndexByte(hostPart(rest), '@'); at >= 0 {
				rest = rest[at+1:] // user:password@host
			}
			if name := hostOf(rest); name != "" {
				out = append(out, host{name: name, link: true})
			}
		case strings.HasPrefix(lower, "www."):
			if name := hostOf(lower); validHost(name) {
				out = append(out, host{name: name, link: true})
			}
		case strings.Contains(lower, "@"):
			if name := hostOf(lower[strings.LastIndexByte(lower, '@')+1:]); validHost(name) {
				out = append(out, host{name: name})
			}
		default:
			name := hostOf(lower)
			if !validHost(name) {
				continue
			}
			tld := name[strings.LastIndexByte(name, '.')+1:]
			hasPath := len(hostPart(lower)) < len(lower) && lower[len(hostPart(lower))] == '/'
			out = append(out, host{name: name, link: commonTLDs[tld] || hasPath})
		}
	}
	return out
}

// isLinkSeparator splits a message into link candidates: blanks and the
// brackets and quotes that usually surround an address.
func isLinkSeparator(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(`()<>[]{}"«»“”,`, r)
}

// hostPart is s up to the first "/", "?", "#" or ":" (path, query,
// fragment, port).
func hostPart(s string) string {
	if i := strings.IndexAny(s, "/?#:"); i >= 0 {
		return s[:i]
	}
	return s
}

// hostOf returns the domain name of an address written without scheme,
// lower case, without "www." and without a trailing dot.
func hostOf(s string) string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimSuffix(hostPart(s), ".")
	return strings.TrimPrefix(s, "www.")
}

// validHost reports whether name looks like a domain: at least two
// non-empty labels of letters, digits and hyphens, and a top-level domain
// of two or more letters.
func validHost(name string) bool {
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 {
		return false
	}
	tld := name[dot+1:]
	if len(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" {
			return false
		}
		for _, r := range label {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
				return false
			}
		}
	}
	return true
}
