package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The admin the hub creates on first start (its demo workspace).
const (
	adminEmail    = "bench@hotel.test"
	adminPassword = "a long enough bench password"
)

// hubProc is the hub binary running as a child process on loopback.
type hubProc struct {
	cmd  *exec.Cmd
	Addr string // host:port it listens on
	Base string // http://Addr
	// DataDir is the hub's data directory (hub.db in it), for checks
	// made on the store once the hub has stopped.
	DataDir string
	stderr  bytes.Buffer
	client  *http.Client
}

// startHub runs the hub on a fresh data directory with the extra HUB_*
// variables in env ("HUB_PUBLIC_URL=..."), and waits until it answers.
func (b *bench) startHub(ctx context.Context, name string, env ...string) (*hubProc, error) {
	bin, err := b.hubBinary(ctx)
	if err != nil {
		return nil, err
	}
	data, err := b.tempDir(name)
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p := &hubProc{Addr: addr, Base: "http://" + addr, DataDir: data, client: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256},
	}}
	p.cmd = exec.Command(bin)
	p.cmd.Env = append(os.Environ(),
		"HUB_ADDR="+addr,
		"HUB_DATA_DIR="+data,
		"HUB_ADMIN_EMAIL="+adminEmail,
		"HUB_ADMIN_PASSWORD="+adminPassword,
		"HUB_LOG_LEVEL=error",
	)
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := p.client.Get(p.Base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.kill()
			return nil, fmt.Errorf("the hub did not come up: %v\n%s", err, p.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// Pid is the hub's process id.
func (p *hubProc) Pid() int { return p.cmd.Process.Pid }

// stop sends SIGTERM and waits for the exit.
func (p *hubProc) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(60 * time.Second):
		p.kill()
		return fmt.Errorf("the hub did not stop after SIGTERM")
	}
}

func (p *hubProc) kill() {
	_ = p.cmd.Process.Kill()
	_, _ = p.cmd.Process.Wait()
}

// call sends a JSON request to the hub's API and decodes the answer into
// out; any status other than want is an error.
func (p *hubProc) call(ctx context.Context, method, path, token string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.Base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s, want %d", method, path, res.StatusCode, raw, want)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// login signs the demo admin in and returns the bearer token.
func (p *hubProc) login(ctx context.Context) (string, error) {
	var out struct{ Token string }
	err := p.call(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"email": adminEmail, "password": adminPassword}, 200, &out)
	return out.Token, err
}

// cpu is the user plus system CPU time the hub has used so far.
func (p *hubProc) cpu() (time.Duration, error) {
	return processCPU(p.Pid())
}

// rss is the hub's resident memory in bytes.
func (p *hubProc) rss() (int64, error) {
	return processRSS(p.Pid())
}

// processCPU reads utime + stime of pid from /proc (in clock ticks of
// 1/100 s, the Linux USER_HZ).
func processCPU(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; the fields start after its ")".
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unreadable /proc/%d/stat", pid)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// processRSS reads VmRSS of pid from /proc.
func processRSS(pid int) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
