package config

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"
)

// TestTableCoversConfig checks that Table and Config agree: one row per
// field, the YAML key equal to the struct tag, names unique and well formed,
// and every default readable back by the parser Load uses.
func TestTableCoversConfig(t *testing.T) {
	typ := reflect.TypeFor[Config]()
	table := Table()
	rows := map[string]Key{}
	yamlNames, envNames, flagNames := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, k := range table {
		if _, dup := rows[k.Field]; dup {
			t.Errorf("field %s has two rows", k.Field)
		}
		rows[k.Field] = k
		f, ok := typ.FieldByName(k.Field)
		if !ok {
			t.Errorf("row %+v names no Config field", k)
			continue
		}
		if tag := f.Tag.Get("yaml"); tag != k.YAML {
			t.Errorf("field %s: yaml tag %q, Table says %q", k.Field, tag, k.YAML)
		}
		if !strings.HasPrefix(k.Env, "HUB_") || strings.ToUpper(k.Env) != k.Env || envNames[k.Env] {
			t.Errorf("field %s: bad or duplicate env %q", k.Field, k.Env)
		}
		if strings.ToLower(k.Flag) != k.Flag || (k.Flag != "" && flagNames[k.Flag]) || k.Flag == "config" {
			t.Errorf("field %s: bad or duplicate flag %q", k.Field, k.Flag)
		}
		if yamlNames[strings.ToLower(k.YAML)] {
			t.Errorf("field %s: duplicate yaml key %q", k.Field, k.YAML)
		}
		if k.Secret && k.Field != "MongoURI" && k.Flag != "" {
			t.Errorf("field %s: secrets must not be flags", k.Field)
		}
		yamlNames[strings.ToLower(k.YAML)], envNames[k.Env], flagNames[k.Flag] = true, true, true
		if k.Doc == "" {
			t.Errorf("field %s: no Doc", k.Field)
		}
		var probe Config
		v := reflect.ValueOf(&probe).Elem().FieldByName(k.Field)
		if k.Default != "" || v.Kind() != reflect.String {
			if err := setValue(v, k.Default); err != nil {
				t.Errorf("field %s: default %q does not parse: %v", k.Field, k.Default, err)
			}
			if got := v.Interface(); got != reflect.ValueOf(Default()).FieldByName(k.Field).Interface() {
				t.Errorf("field %s: default %q parses to %v", k.Field, k.Default, got)
			}
		}
	}
	for i := range typ.NumField() {
		if _, ok := rows[typ.Field(i).Name]; !ok {
			t.Errorf("Config field %s has no row in Table", typ.Field(i).Name)
		}
	}
	for _, field := range []string{"AdminPassword", "SecretKey", "MongoURI"} {
		if !rows[field].Secret {
			t.Errorf("field %s should be Secret", field)
		}
	}
}

// TestFieldDocs checks that every Config field has a doc comment.
func TestFieldDocs(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "config.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Config" {
			return true
		}
		found = true
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			if field.Doc == nil || strings.TrimSpace(field.Doc.Text()) == "" {
				t.Errorf("Config field %s has no doc comment", field.Names[0].Name)
			}
		}
		return false
	})
	if !found {
		t.Fatal("type Config not found in config.go")
	}
}

func TestTableMarkdown(t *testing.T) {
	md := TableMarkdown()
	lines := strings.Split(strings.TrimSpace(md), "\n")
	if want := 2 + 1 + len(Table()); len(lines) != want {
		t.Errorf("got %d lines, want %d:\n%s", len(lines), want, md)
	}
	for _, s := range []string{"| `HUB_ADDR` | `addr` | `-addr` | `:8080` |", "| `HUB_SESSION_TTL` | `sessionTtl` | `-session-ttl` | `12h` |", "`HUB_CONFIG`"} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q:\n%s", s, md)
		}
	}
}
