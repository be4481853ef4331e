package bot

// Moving a workspace's rules to another workspace (one hotel's answers to
// a sister hotel) goes through a JSON document an admin downloads and
// uploads. The bot owns its format because it owns what a valid rule is;
// the API adds what only the store knows (ids, teams).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"hub/inbox"
)

// ExportVersion is the version of the rule document ExportRules writes
// and ParseRules reads.
const ExportVersion = 1

// Limits of a rule document.
const (
	// MaxImportRules is the most rules one document may hold: a hotel has
	// tens, so more is a mistake (or an attack) rather than a rule set.
	MaxImportRules = 500
	// MaxImportBytes is the largest document. It matches the hub's default
	// request body limit, so a document the server accepts is never
	// refused for its size here.
	MaxImportBytes = 1 << 20
	// MaxRuleNameChars is the longest rule name, as the inbox stores it;
	// checked here so that an import never fails half way on a name.
	MaxRuleNameChars = 120
)

// InvalidError codes returned by ParseRules besides ValidateRule's.
const (
	CodeInvalidJSON        = "invalid_json"        // malformed JSON, a wrong type or an unknown field
	CodeDocumentTooLarge   = "document_too_large"  // more than MaxImportBytes
	CodeUnsupportedVersion = "unsupported_version" // version is not ExportVersion
	CodeRulesRequired      = "rules_required"      // no "rules" list
	CodeTooManyRules       = "too_many_rules"      // more than MaxImportRules
	CodeInvalidName        = "invalid_name"        // a name over MaxRuleNameChars
)

// RuleDocument is the export document:
//
//	{"version": 1, "rules": [{"name": ..., "keywords": [...], ...}, ...]}
//
// It carries no ids, workspace or creation times: the importing workspace
// assigns its own.
type RuleDocument struct {
	// Version is ExportVersion.
	Version int `json:"version"`
	// Rules are in the order the bot tries them.
	Rules []ExportedRule `json:"rules"`
}

// ExportedRule is one rule of a RuleDocument: the fields of an
// inbox.BotRule an admin writes. TeamID is the exporting workspace's team;
// the importing API decides what a team it does not have means.
//
// Every field means what the inbox.BotRule field of the same name means.
type ExportedRule struct {
	Name     string   `json:"name"`     // shown to admins only
	Keywords []string `json:"keywords"` // see inbox.BotRule.Keywords
	Phrases  []string `json:"phrases"`  // see inbox.BotRule.Phrases
	Patterns []string `json:"patterns"` // RE2, case-insensitive
	Language string   `json:"language"` // "" or one of Languages()
	Answer   string   `json:"answer"`   // may hold {{contact.name}}, {{workspace.name}}
	Buttons  []string `json:"buttons"`  // quick replies, at most MaxButtons
	Handoff  bool     `json:"handoff"`  // hand off to people after answering
	TeamID   string   `json:"teamId,omitempty"`
	Priority int      `json:"priority"` // highest is tried first
	// Enabled is a pointer when reading so that a hand-written rule
	// without it is enabled, as a rule created through the API is.
	Enabled *bool `json:"enabled"`
}

// ExportRules writes rules as an indented RuleDocument (admins open it in
// an editor), listed in the order the bot tries them, so that importing
// the document in order keeps rules of equal priority in their order.
func ExportRules(rules []inbox.BotRule) ([]byte, error) {
	sorted := slices.Clone(rules)
	slices.SortStableFunc(sorted, func(a, b inbox.BotRule) int { return compareRules(&a, &b) })
	doc := RuleDocument{Version: ExportVersion, Rules: make([]ExportedRule, 0, len(sorted))}
	for _, r := range sorted {
		enabled := r.Enabled
		doc.Rules = append(doc.Rules, ExportedRule{
			Name: strings.TrimSpace(r.Name), Keywords: orEmpty(r.Keywords), Phrases: orEmpty(r.Phrases), Patterns: orEmpty(r.Patterns),
			Language: r.Language, Answer: r.Answer, Buttons: orEmpty(r.Buttons), Handoff: r.Handoff,
			TeamID: r.TeamID, Priority: r.Priority, Enabled: &enabled,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Answers are text for people ("B&B", "<3"): kept as written, not
	// escaped for HTML, so the file reads as the admin typed it.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// ParseRules reads a RuleDocument strictly and returns its rules, in
// document order, without ids or workspace, each checked with
// ValidateRule. Strictly means: one JSON object, no unknown field (an "id"
// is refused: ids are assigned on import), the right types, version
// ExportVersion, a "rules" list of at most MaxImportRules, names of at
// most MaxRuleNameChars, and at most MaxImportBytes in all.
//
// Every error is an *inbox.InvalidError whose Field names the place in
// the document: "version", "rules", "rules[3].patterns[0]" (ValidateRule's
// field under the rule's index), "rules[2].colour" for an unknown field.
// Whether a rule's TeamID exists is not checked here.
func ParseRules(data []byte) ([]inbox.BotRule, error) {
	if len(data) > MaxImportBytes {
		return nil, inbox.InvalidCode(CodeDocumentTooLarge, "", "a rule document has at most %d bytes, not %d", MaxImportBytes, len(data))
	}
	var top struct {
		Version *int               `json:"version"`
		Rules   *[]json.RawMessage `json:"rules"`
	}
	if err := decodeStrict(data, &top); err != nil {
		return nil, jsonError(err, "")
	}
	if top.Version == nil || *top.Version != ExportVersion {
		return nil, inbox.InvalidCode(CodeUnsupportedVersion, "version", "this is not a bot rules export of version %d", ExportVersion)
	}
	if top.Rules == nil {
		return nil, inbox.InvalidCode(CodeRulesRequired, "rules", "the document has no \"rules\" list")
	}
	raw := *top.Rules
	if len(raw) > MaxImportRules {
		return nil, inbox.InvalidCode(CodeTooManyRules, fmt.Sprintf("rules[%d]", MaxImportRules),
			"a document has at most %d rules, not %d", MaxImportRules, len(raw))
	}
	out := make([]inbox.BotRule, 0, len(raw))
	for i, msg := range raw {
		prefix := fmt.Sprintf("rules[%d]", i)
		var er ExportedRule
		if err := decodeStrict(msg, &er); err != nil {
			return nil, jsonError(err, prefix)
		}
		r := er.rule()
		if n := utf8.RuneCountInString(r.Name); n > MaxRuleNameChars {
			return nil, inbox.InvalidCode(CodeInvalidName, prefix+".name", "a rule name has at most %d characters, not %d", MaxRuleNameChars, n)
		}
		if err := ValidateRule(r); err != nil {
			return nil, underRule(err, prefix)
		}
		out = append(out, r)
	}
	return out, nil
}

// rule is the inbox rule er describes; it is enabled unless it says not.
func (er ExportedRule) rule() inbox.BotRule {
	enabled := er.Enabled == nil || *er.Enabled
	return inbox.BotRule{
		Name: strings.TrimSpace(er.Name), Keywords: er.Keywords, Phrases: er.Phrases, Patterns: er.Patterns,
		Language: er.Language, Answer: er.Answer, Buttons: er.Buttons, Handoff: er.Handoff,
		TeamID: strings.TrimSpace(er.TeamID), Priority: er.Priority, Enabled: enabled,
	}
}

// decodeStrict decodes exactly one JSON value into v, refusing unknown
// fields and anything after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailing
	}
	return nil
}

var errTrailing = errors.New("the document must hold one JSON object and nothing after it")

// jsonError turns a decoding error into an InvalidError naming the field
// under prefix (the rule) when the decoder says which one.
func jsonError(err error, prefix string) error {
	var typeErr *json.UnmarshalTypeError
	field, reason := "", err.Error()
	switch {
	case errors.As(err, &typeErr):
		field = typeErr.Field
		reason = fmt.Sprintf("must be %s, not a JSON %s", kindOf(typeErr.Type), typeErr.Value)
	case strings.HasPrefix(err.Error(), `json: unknown field "`):
		// encoding/json has no typed error for an unknown field; its
		// message is stable: json: unknown field "name".
		field = strings.TrimSuffix(strings.TrimPrefix(err.Error(), `json: unknown field "`), `"`)
		reason = fmt.Sprintf("unknown field %q", field)
		if k := strings.ToLower(field); k == "id" || k == "workspaceid" || k == "createdat" {
			reason += ": ids, workspaces and dates are assigned on import, remove it"
		}
	case errors.Is(err, io.EOF):
		reason = "the document is empty"
	}
	return inbox.InvalidCode(CodeInvalidJSON, join(prefix, field), "%s", reason)
}

// kindOf says in words what a field of the document holds.
func kindOf(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a text"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "a list of texts"
		}
		return "a list"
	case reflect.Int:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a " + t.String()
}

// underRule moves ValidateRule's field under the rule's place in the
// document: "patterns[0]" → "rules[3].patterns[0]".
func underRule(err error, prefix string) error {
	var invalid *inbox.InvalidError
	if !errors.As(err, &invalid) {
		return err
	}
	return inbox.InvalidCode(invalid.Code, join(prefix, invalid.Field), "%s", invalid.Reason)
}

func join(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}
