package hub_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// importRules are DESIGN.md §2: for each package (by module path prefix),
// the module packages and third-party modules its non-test code may
// import. The standard library is always allowed.
var importRules = []struct {
	pkg        string
	allowed    []string
	exactMatch bool
}{
	{pkg: "hub/inbox", exactMatch: true},
	{pkg: "hub/inbox/storetest", allowed: []string{"hub/inbox"}},
	{pkg: "hub/inbox/sqlitestore", allowed: []string{"hub/inbox", "modernc.org/sqlite"}},
	{pkg: "hub/inbox/mongostore", exactMatch: true, allowed: []string{"hub/inbox", "go.mongodb.org/mongo-driver/v2"}},
	// The in-process MongoDB stand-in used by the store tests only.
	{pkg: "hub/inbox/mongostore/internal", allowed: []string{"hub/inbox", "go.mongodb.org/mongo-driver/v2", "github.com/FerretDB/FerretDB", "modernc.org/sqlite"}},
	{pkg: "hub/bot", allowed: []string{"hub/inbox"}},
	{pkg: "hub/config", allowed: []string{"gopkg.in/yaml.v3"}},
	{pkg: "hub/adapters", exactMatch: true, allowed: []string{"github.com/gofiber/fiber/v2"}},
	{pkg: "hub/adapters/webchat", allowed: []string{"hub/adapters", "github.com/gofiber/fiber/v2", "github.com/gofiber/contrib/websocket"}},
	{pkg: "hub/adapters/sms", allowed: []string{"hub/adapters", "github.com/gofiber/fiber/v2", "github.com/twilio/twilio-go"}},
	{pkg: "hub/adapters/telegram", allowed: []string{"hub/adapters", "github.com/gofiber/fiber/v2", "github.com/go-telegram-bot-api/telegram-bot-api/v5"}},
	{pkg: "hub/adapters/partner", allowed: []string{"hub/adapters", "github.com/gofiber/fiber/v2"}},
	// What the adapters' tests share (adapterstest).
	{pkg: "hub/adapters/internal", allowed: []string{"hub/adapters", "github.com/gofiber/fiber/v2"}},
	{pkg: "hub/hub/api", allowed: []string{"hub/inbox", "hub/bot", "github.com/gofiber/", "golang.org/x/crypto/"}},
	{pkg: "hub/hub/web", allowed: []string{"github.com/gofiber/fiber/v2"}},
	{pkg: "hub/hub", exactMatch: true, allowed: []string{"hub/inbox", "hub/bot", "hub/adapters", "hub/config", "hub/hub/", "github.com/gofiber/", "github.com/robfig/cron/v3"}},
}

type listedPackage struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = ".."
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, errOut.String())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(&out)
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func isStd(path string) bool {
	return !strings.Contains(strings.Split(path, "/")[0], ".") && !strings.HasPrefix(path, "hub")
}

func allowedImport(imp string, allowed []string) bool {
	for _, a := range allowed {
		if imp == a || strings.HasPrefix(imp, strings.TrimSuffix(a, "/")+"/") {
			return true
		}
	}
	return false
}

// TestArchitecture_ImportDirection enforces the package rules with go list.
func TestArchitecture_ImportDirection(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "hub/cmd") {
				t.Errorf("%s imports %s: nothing imports cmd", p.ImportPath, imp)
			}
		}
		for _, rule := range importRules {
			if p.ImportPath != rule.pkg && (rule.exactMatch || !strings.HasPrefix(p.ImportPath, rule.pkg+"/")) {
				continue
			}
			for _, imp := range p.Imports {
				if isStd(imp) || imp == p.ImportPath || strings.HasPrefix(imp, p.ImportPath+"/internal") {
					continue
				}
				if !allowedImport(imp, rule.allowed) {
					t.Errorf("%s imports %s; DESIGN.md §2 allows only %v and the standard library", p.ImportPath, imp, rule.allowed)
				}
			}
		}
	}
	// The domain and the bot stay free of web frameworks and database
	// drivers even indirectly.
	for _, p := range pkgs {
		if p.ImportPath != "hub/inbox" && p.ImportPath != "hub/bot" {
			continue
		}
		for _, d := range p.Deps {
			if !isStd(d) && d != "hub/inbox" {
				t.Errorf("%s depends on %s", p.ImportPath, d)
			}
		}
	}
	// An adapter never reaches another adapter; what they share under
	// hub/adapters/internal is not an adapter.
	for _, p := range pkgs {
		if !strings.HasPrefix(p.ImportPath, "hub/adapters/") {
			continue
		}
		own := strings.SplitN(strings.TrimPrefix(p.ImportPath, "hub/adapters/"), "/", 2)[0]
		for _, d := range p.Deps {
			if strings.HasPrefix(d, "hub/adapters/internal/") {
				continue
			}
			if strings.HasPrefix(d, "hub/adapters/") && !strings.HasPrefix(d, "hub/adapters/"+own) {
				t.Errorf("%s depends on another adapter, %s", p.ImportPath, d)
			}
		}
	}
}
