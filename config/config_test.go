package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// writeFile writes a YAML file into a fresh temporary directory.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hub.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefault(t *testing.T) {
	d := Default()
	if err := d.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	want := Config{
		Addr: ":8080", DataDir: "./data", MongoDatabase: "hub",
		SessionTTL: 12 * time.Hour, HoldReleaseInterval: 10 * time.Second, BotHandoffAfter: 2,
		LogLevel: "info", LogFormat: "text", MaxBodyBytes: 1 << 20, MaxMessageChars: 10000,
		ShutdownTimeout: 15 * time.Second, Demo: true,
	}
	if d != want {
		t.Fatalf("Default() = %+v\nwant %+v", d, want)
	}
	got, warnings, err := Load(nil, nil)
	if err != nil || len(warnings) != 0 || got != d {
		t.Fatalf("Load(nil, nil) = %+v, %v, %v; want the defaults", got, warnings, err)
	}
}

func TestLoadLayers(t *testing.T) {
	const file = `
addr: ":9000"
dataDir: /var/lib/hub
sessionTtl: 1h
holdReleaseInterval: 30s
botHandoffAfter: 3
logLevel: debug
demo: false
`
	tests := []struct {
		name string
		file string // YAML content; "" means no file
		env  []string
		args []string
		want func(*Config) // changes to Default()
	}{
		{
			name: "defaults",
			want: func(*Config) {},
		},
		{
			name: "yaml overrides defaults",
			file: file,
			want: func(c *Config) {
				c.Addr, c.DataDir, c.SessionTTL, c.HoldReleaseInterval = ":9000", "/var/lib/hub", time.Hour, 30*time.Second
				c.BotHandoffAfter, c.LogLevel, c.Demo = 3, "debug", false
			},
		},
		{
			name: "env overrides yaml",
			file: file,
			env:  []string{"HUB_ADDR=:9100", "HUB_SESSION_TTL=2h", "HUB_DEMO=true", "HUB_MONGO_URI=mongodb://db:27017", "HUB_MAX_BODY_BYTES=2048"},
			want: func(c *Config) {
				c.Addr, c.DataDir, c.SessionTTL, c.HoldReleaseInterval = ":9100", "/var/lib/hub", 2*time.Hour, 30*time.Second
				c.BotHandoffAfter, c.LogLevel, c.Demo = 3, "debug", true
				c.MongoURI, c.MaxBodyBytes = "mongodb://db:27017", 2048
			},
		},
		{
			name: "flag overrides env",
			file: file,
			env:  []string{"HUB_ADDR=:9100", "HUB_SESSION_TTL=2h", "HUB_LOG_FORMAT=json"},
			args: []string{"-addr", ":9200", "-session-ttl=3h", "-demo", "-public-url", "https://hub.example.com"},
			want: func(c *Config) {
				c.Addr, c.DataDir, c.SessionTTL, c.HoldReleaseInterval = ":9200", "/var/lib/hub", 3*time.Hour, 30*time.Second
				c.BotHandoffAfter, c.LogLevel, c.Demo = 3, "debug", true
				c.LogFormat, c.PublicURL = "json", "https://hub.example.com"
			},
		},
		{
			name: "bool flag set to false, last flag wins",
			args: []string{"-demo=false", "-addr=:1", "-addr=:2"},
			want: func(c *Config) { c.Demo, c.Addr = false, ":2" },
		},
		{
			name: "empty env value counts as unset",
			file: file,
			env:  []string{"HUB_ADDR=", "HUB_SESSION_TTL=  "},
			want: func(c *Config) {
				c.Addr, c.DataDir, c.SessionTTL, c.HoldReleaseInterval = ":9000", "/var/lib/hub", time.Hour, 30*time.Second
				c.BotHandoffAfter, c.LogLevel, c.Demo = 3, "debug", false
			},
		},
		{
			name: "first of duplicate env entries wins",
			env:  []string{"HUB_ADDR=:1", "HUB_ADDR=:2"},
			want: func(c *Config) { c.Addr = ":1" },
		},
		{
			name: "yaml keys match without case, null keeps the default, secrets and ints",
			file: "mongoURI: mongodb://u:p@db\nMongoDatabase: ~\nsecretKey: \"0123456789abcdef\"\nmaxMessageChars: 500\naddr: 8081\n",
			want: func(c *Config) {
				c.MongoURI, c.SecretKey, c.MaxMessageChars, c.Addr = "mongodb://u:p@db", "0123456789abcdef", 500, "8081"
			},
		},
		{
			name: "empty file",
			file: "# nothing here\n",
			want: func(*Config) {},
		},
		{
			name: "every flag",
			args: []string{
				"-addr=a:1", "-data-dir=d", "-mongo-uri=mongodb://m", "-mongo-database=db", "-public-url=http://p",
				"-admin-email=a@b", "-session-ttl=1m", "-hold-release-interval=2s", "-bot-handoff-after=5",
				"-log-level=warn", "-log-format=json", "-max-body-bytes=4096", "-max-message-chars=7",
				"-shutdown-timeout=3s", "-demo=false",
			},
			want: func(c *Config) {
				*c = Config{
					Addr: "a:1", DataDir: "d", MongoURI: "mongodb://m", MongoDatabase: "db", PublicURL: "http://p",
					AdminEmail: "a@b", SessionTTL: time.Minute, HoldReleaseInterval: 2 * time.Second, BotHandoffAfter: 5,
					LogLevel: "warn", LogFormat: "json", MaxBodyBytes: 4096, MaxMessageChars: 7,
					ShutdownTimeout: 3 * time.Second, Demo: false,
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.file != "" {
				args = append([]string{"-config", writeFile(t, tt.file)}, args...)
			}
			got, warnings, err := Load(args, tt.env)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings = %q, want none", warnings)
			}
			want := Default()
			tt.want(&want)
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestConfigFileChoice(t *testing.T) {
	envFile := writeFile(t, "addr: \":1111\"\n")
	flagFile := writeFile(t, "addr: \":2222\"\n")
	tests := []struct {
		name string
		env  []string
		args []string
		addr string
	}{
		{"HUB_CONFIG names the file", []string{"HUB_CONFIG=" + envFile}, nil, ":1111"},
		{"-config beats HUB_CONFIG", []string{"HUB_CONFIG=" + envFile}, []string{"-config=" + flagFile}, ":2222"},
		{"-config= turns the file off", []string{"HUB_CONFIG=" + envFile}, []string{"-config="}, ":8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := Load(tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if got.Addr != tt.addr {
				t.Errorf("Addr = %q, want %q", got.Addr, tt.addr)
			}
		})
	}
}

func TestLoadWarnings(t *testing.T) {
	path := writeFile(t, "addr: \":9000\"\nfoo: 1\ntelegram:\n  token: x\nsessionTTL: 1h\n")
	env := []string{"HUB_FOO=1", "HUB_CONFIG=" + path, "HUB_TEST_MONGO_URI=mongodb://x", "HUB_ADDR=:1", "HUB_FOO=2", "PATH=/bin"}
	cfg, warnings, err := Load(nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SessionTTL != time.Hour {
		t.Errorf("sessionTTL (case-insensitive) not applied: %v", cfg.SessionTTL)
	}
	want := []string{
		`unknown config key "foo" in ` + path,
		`unknown config key "telegram" in ` + path,
		"unknown environment variable HUB_FOO",
	}
	if len(warnings) != len(want) {
		t.Fatalf("warnings = %q, want %d", warnings, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(warnings[i], w) {
			t.Errorf("warning %d = %q, want prefix %q", i, warnings[i], w)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		env  []string
		args []string
		want []string // substrings of the error
	}{
		{"bad duration in yaml", "sessionTtl: soon\n", nil, nil, []string{"sessionTtl", "line 1", `invalid duration "soon"`}},
		{"bad duration in env", "", []string{"HUB_HOLD_RELEASE_INTERVAL=10"}, nil, []string{"HUB_HOLD_RELEASE_INTERVAL", `invalid duration "10"`}},
		{"bad duration in flag", "", nil, []string{"-shutdown-timeout", "5 minutes"}, []string{"-shutdown-timeout", "invalid duration"}},
		{"bad int in env", "", []string{"HUB_BOT_HANDOFF_AFTER=two"}, nil, []string{"HUB_BOT_HANDOFF_AFTER", `invalid integer "two"`}},
		{"bad int in yaml", "maxBodyBytes: 1MiB\n", nil, nil, []string{"maxBodyBytes", "invalid integer"}},
		{"bad bool in env", "", []string{"HUB_DEMO=maybe"}, nil, []string{"HUB_DEMO", "invalid boolean"}},
		{"bad bool in flag", "", nil, []string{"-demo=maybe"}, []string{"-demo"}},
		{"all env errors at once", "", []string{"HUB_DEMO=maybe", "HUB_SESSION_TTL=x"}, nil, []string{"HUB_DEMO", "HUB_SESSION_TTL"}},
		{"list for a value", "addr: [1, 2]\n", nil, nil, []string{"addr", "single value"}},
		{"top level not a mapping", "- a\n- b\n", nil, nil, []string{"top level must be a mapping"}},
		{"broken yaml", "addr: \"unterminated\n", nil, nil, []string{"config file"}},
		{"missing file", "", nil, []string{"-config", "/nonexistent/hub.yaml"}, []string{"config file", "/nonexistent/hub.yaml"}},
		{"missing file from env", "", []string{"HUB_CONFIG=/nonexistent/env.yaml"}, nil, []string{"/nonexistent/env.yaml"}},
		{"unknown flag", "", nil, []string{"-nope"}, []string{"-nope"}},
		{"positional argument", "", nil, []string{"-addr=:1", "serve"}, []string{`unexpected argument "serve"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.file != "" {
				args = append([]string{"-config", writeFile(t, tt.file)}, args...)
			}
			cfg, _, err := Load(args, tt.env)
			if err == nil {
				t.Fatalf("Load succeeded with %+v, want an error", cfg)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if cfg != (Config{}) {
				t.Errorf("config on error = %+v, want zero", cfg)
			}
		})
	}
}

func TestHelpAndRest(t *testing.T) {
	if _, _, err := Load([]string{"-h"}, nil); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("Load(-h) error = %v, want flag.ErrHelp", err)
	}
	u := Usage()
	for _, s := range []string{"-addr", "HUB_ADDR", `":8080"`, "-config", "HUB_CONFIG", "-session-ttl", `"12h"`} {
		if !strings.Contains(u, s) {
			t.Errorf("Usage() lacks %q:\n%s", s, u)
		}
	}
	if strings.Contains(u, "-admin-password") || strings.Contains(u, "-secret-key") {
		t.Errorf("secrets must not be flags:\n%s", u)
	}
	cfg, rest, _, err := LoadArgs([]string{"-addr=:7", "user", "add", "-email", "x"}, nil)
	if err != nil || cfg.Addr != ":7" || !reflect.DeepEqual(rest, []string{"user", "add", "-email", "x"}) {
		t.Errorf("LoadArgs = %q, %q, %v", cfg.Addr, rest, err)
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	// A file written by yaml.Marshal (durations as "12h0m0s" strings) loads
	// back to the same Config, so the struct tags agree with Table.
	want := Default()
	want.MongoURI, want.SecretKey, want.Demo = "mongodb://db", "0123456789abcdef", false
	data, err := yaml.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, warnings, err := Load([]string{"-config", writeFile(t, string(data))}, nil)
	if err != nil || len(warnings) != 0 || got != want {
		t.Fatalf("round trip = %+v, %q, %v\nwant %+v\nfile:\n%s", got, warnings, err, want, data)
	}
}
