package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// EnvConfigFile is the environment variable naming the YAML config file when
// the -config flag is not given.
const EnvConfigFile = "HUB_CONFIG"

// otherEnv lists HUB_* variables that are not settings but are read by
// someone else, so Load does not warn about them.
var otherEnv = map[string]bool{
	EnvConfigFile:        true,
	"HUB_TEST_MONGO_URI": true, // store conformance tests against a real MongoDB
}

// Load builds the configuration: [Default], then the YAML file named by the
// -config flag or the HUB_CONFIG variable, then the HUB_* variables in
// environ ("KEY=value" entries, as from os.Environ), then the flags in args
// (without the program name). An environment variable with an empty value
// counts as unset; when a variable appears twice the first one wins, as with
// os.Getenv. YAML keys match without regard to case ("mongoURI" sets
// mongoUri), and a key with no value ("publicUrl:") leaves the setting as
// it was.
//
// The warnings name YAML keys and HUB_* variables that match no setting;
// the caller should log them. The error names the key whose value could not
// be parsed, the config file that could not be read, or the flag that is
// not known; args must hold flags only (see [LoadArgs] for subcommands). For
// -h or -help the error is flag.ErrHelp and [Usage] has the text to print.
// Load does not call [Config.Validate].
func Load(args, environ []string) (Config, []string, error) {
	cfg, rest, warnings, err := LoadArgs(args, environ)
	if err == nil && len(rest) > 0 {
		return Config{}, warnings, fmt.Errorf("unexpected argument %q (only flags are accepted)", rest[0])
	}
	return cfg, warnings, err
}

// LoadArgs is [Load] for command lines that continue after the flags, such
// as "hub -config hub.yaml user add": flag parsing stops at the first
// argument that is not a flag (or after "--"), and those remaining arguments
// are returned as rest.
func LoadArgs(args, environ []string) (cfg Config, rest, warnings []string, err error) {
	var flags []flagValue
	var configFlag *string
	fs := newFlagSet(&flags, &configFlag)
	if err := fs.Parse(args); err != nil {
		return Config{}, nil, nil, err
	}
	env := envMap(environ)

	cfg = Default()
	path := env[EnvConfigFile]
	if configFlag != nil {
		path = *configFlag // an explicit -config="" turns the file off
	}
	if path != "" {
		w, err := loadFile(path, &cfg)
		warnings = append(warnings, w...)
		if err != nil {
			return Config{}, nil, warnings, err
		}
	}

	warnings = append(warnings, unknownEnv(environ)...)
	if err := applyEnv(env, &cfg); err != nil {
		return Config{}, nil, warnings, err
	}

	v := reflect.ValueOf(&cfg).Elem()
	for _, f := range flags {
		// The value was checked while parsing; this cannot fail.
		if err := setValue(v.FieldByName(f.key.Field), f.raw); err != nil {
			return Config{}, nil, warnings, fmt.Errorf("flag -%s: %w", f.key.Flag, err)
		}
	}
	return cfg, fs.Args(), warnings, nil
}

// Usage returns the help text for the flags Load accepts, one flag per
// entry with its meaning, environment variable and default.
func Usage() string {
	var flags []flagValue
	var configFlag *string
	fs := newFlagSet(&flags, &configFlag)
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	return b.String()
}

// flagValue is one setting given on the command line, applied after the
// environment.
type flagValue struct {
	key Key
	raw string
}

// newFlagSet returns the flag set of Load. Each setting flag appends to
// *flags after checking its value, so a bad value fails with the flag's
// name; -config stores its value in **configFlag.
func newFlagSet(flags *[]flagValue, configFlag **string) *flag.FlagSet {
	fs := flag.NewFlagSet("hub", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // never print; the caller reports the error
	fs.Func("config", "path of the YAML config file (env "+EnvConfigFile+"; default: no file)", func(s string) error {
		*configFlag = &s
		return nil
	})
	for _, k := range Table() {
		if k.Flag == "" {
			continue
		}
		usage := fmt.Sprintf("%s (env %s, default %q)", k.Doc, k.Env, k.Default)
		if k.Default == "" {
			usage = fmt.Sprintf("%s (env %s)", k.Doc, k.Env)
		}
		parse := func(s string) error {
			var probe Config
			if err := setValue(reflect.ValueOf(&probe).Elem().FieldByName(k.Field), s); err != nil {
				return err
			}
			*flags = append(*flags, flagValue{key: k, raw: s})
			return nil
		}
		if reflect.ValueOf(Config{}).FieldByName(k.Field).Kind() == reflect.Bool {
			fs.BoolFunc(k.Flag, usage, parse)
		} else {
			fs.Func(k.Flag, usage, parse)
		}
	}
	return fs
}

// envMap turns "KEY=value" entries into a map; the first entry of a name
// wins, as with os.Getenv.
func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		if _, dup := m[k]; !dup {
			m[k] = v
		}
	}
	return m
}

// applyEnv sets every setting whose variable is present and not empty.
func applyEnv(env map[string]string, cfg *Config) error {
	v := reflect.ValueOf(cfg).Elem()
	var errs []error
	for _, k := range Table() {
		raw, ok := env[k.Env]
		if !ok || strings.TrimSpace(raw) == "" {
			continue
		}
		if err := setValue(v.FieldByName(k.Field), raw); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s: %w", k.Env, err))
		}
	}
	return errors.Join(errs...)
}

// unknownEnv warns about HUB_* variables that are no setting, in environ
// order, each name once.
func unknownEnv(environ []string) []string {
	known := make(map[string]bool, len(keys))
	for _, k := range keys {
		known[k.Env] = true
	}
	var warnings []string
	seen := map[string]bool{}
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "HUB_") || known[name] || otherEnv[name] || seen[name] {
			continue
		}
		seen[name] = true
		warnings = append(warnings, fmt.Sprintf("unknown environment variable %s (not a hub setting; ignored)", name))
	}
	return warnings
}

// loadFile reads the YAML file at path into cfg. Keys are matched without
// regard to case ("mongoURI" sets mongoUri); keys that match nothing become
// warnings.
func loadFile(path string, cfg *Config) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil // empty, or comments only
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config file %s: line %d: the top level must be a mapping of keys to values", path, root.Line)
	}
	fl := fileLoader{path: path, cfg: reflect.ValueOf(cfg).Elem(), leaves: map[string]Key{}, groups: map[string]bool{}}
	for _, k := range keys {
		name := strings.ToLower(k.YAML)
		fl.leaves[name] = k
		// Dotted keys ("log.level") would live in nested mappings; their
		// prefixes are groups the walk descends into.
		for i := range len(name) {
			if name[i] == '.' {
				fl.groups[name[:i]] = true
			}
		}
	}
	err = fl.walk(root, "")
	return fl.warnings, err
}

// fileLoader carries the state of one walk over a config file.
type fileLoader struct {
	path     string
	cfg      reflect.Value
	leaves   map[string]Key  // lower-case dotted YAML path → setting
	groups   map[string]bool // lower-case dotted paths of nested mappings
	warnings []string
}

// walk applies the key/value pairs of mapping m found under prefix (empty,
// or a dotted path ending in ".") and collects every error.
func (fl *fileLoader) walk(m *yaml.Node, prefix string) error {
	var errs []error
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn, vn := m.Content[i], m.Content[i+1]
		path := prefix + kn.Value
		lower := strings.ToLower(path)
		if vn.Kind == yaml.AliasNode && vn.Alias != nil {
			vn = vn.Alias
		}
		k, isLeaf := fl.leaves[lower]
		switch {
		case isLeaf && vn.Kind != yaml.ScalarNode:
			errs = append(errs, fmt.Errorf("config file %s: line %d: %s: want a single value, not a list or mapping", fl.path, vn.Line, path))
		case isLeaf && vn.Tag == "!!null":
			// "key:" with no value leaves the setting as it was.
		case isLeaf:
			if err := setValue(fl.cfg.FieldByName(k.Field), vn.Value); err != nil {
				errs = append(errs, fmt.Errorf("config file %s: line %d: %s: %w", fl.path, vn.Line, path, err))
			}
		case fl.groups[lower] && vn.Kind == yaml.MappingNode:
			if err := fl.walk(vn, path+"."); err != nil {
				errs = append(errs, err)
			}
		default:
			fl.warnings = append(fl.warnings, fmt.Sprintf("unknown config key %q in %s (line %d; ignored)", path, fl.path, kn.Line))
		}
	}
	return errors.Join(errs...)
}
