package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildHub compiles this command once per test binary run.
func buildHub(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hub")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process is the hub running as a child process.
type process struct {
	cmd    *exec.Cmd
	base   string
	stdout *syncBuffer
	stderr *syncBuffer
}

// syncBuffer is a bytes.Buffer the child's output copier and the test may
// use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startProcess(t *testing.T, bin, dataDir string) *process {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"HUB_ADDR="+addr,
		"HUB_DATA_DIR="+dataDir,
		"HUB_ADMIN_EMAIL=owner@hotel.test",
		"HUB_ADMIN_PASSWORD=a long enough password",
	)
	p := &process{cmd: cmd, base: "http://" + addr, stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	for i := 0; ; i++ {
		res, err := http.Get(p.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		if i > 300 {
			t.Fatalf("the hub did not come up: %v\nstderr:\n%s", err, p.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the hub exited with %v after SIGTERM\nstderr:\n%s", err, p.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the hub did not stop after SIGTERM\nstderr:\n%s", p.stderr)
	}
}

func (p *process) call(t *testing.T, method, path, token string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, p.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, raw, want)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatal(err)
		}
	}
}

func (p *process) login(t *testing.T) string {
	var out struct{ Token string }
	p.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "owner@hotel.test", "password": "a long enough password"}, 200, &out)
	return out.Token
}

// TestDurability_AcknowledgedMessageSurvivesRestart stops the hub with
// SIGTERM right after a message is acknowledged and finds it after a restart
// on the same data directory.
func TestDurability_AcknowledgedMessageSurvivesRestart(t *testing.T) {
	bin := buildHub(t)
	data := filepath.Join(t.TempDir(), "data")

	first := startProcess(t, bin, data)
	if !strings.Contains(first.stdout.String(), "/demo") {
		t.Errorf("startup output does not show the demo URL:\n%s", first.stdout)
	}
	token := first.login(t)
	var channels struct{ Items []struct{ ID, Type string } }
	first.call(t, "GET", "/api/v1/channels", token, nil, 200, &channels)
	if len(channels.Items) != 1 || channels.Items[0].Type != "webchat" {
		t.Fatalf("demo channels = %+v", channels.Items)
	}
	ch := channels.Items[0].ID
	var session struct{ VisitorToken string }
	first.call(t, "POST", "/api/v1/widget/"+ch+"/session", "", map[string]string{}, 200, &session)
	var msg struct{ ID, ConversationID string }
	first.call(t, "POST", "/api/v1/widget/"+ch+"/messages", session.VisitorToken, map[string]string{"text": "Is the spa open tonight?"}, 201, &msg)
	first.stop(t)

	second := startProcess(t, bin, data)
	defer second.stop(t)
	if strings.Contains(second.stdout.String(), "demo admin") {
		t.Errorf("the demo workspace was created a second time:\n%s", second.stdout)
	}
	token = second.login(t)
	var msgs struct{ Items []struct{ ID, Text string } }
	second.call(t, "GET", fmt.Sprintf("/api/v1/conversations/%s/messages", msg.ConversationID), token, nil, 200, &msgs)
	found := 0
	for _, m := range msgs.Items {
		if m.ID == msg.ID && m.Text == "Is the spa open tonight?" {
			found++
		}
	}
	if found != 1 {
		t.Fatalf("acknowledged message found %d times after restart: %+v", found, msgs.Items)
	}
	// The visitor's token still works: the signing key was kept.
	var history struct{ Items []struct{ ID string } }
	second.call(t, "GET", "/api/v1/widget/"+ch+"/messages", session.VisitorToken, nil, 200, &history)
	if len(history.Items) == 0 || history.Items[0].ID != msg.ID {
		t.Fatalf("visitor history after restart = %+v", history.Items)
	}
}
