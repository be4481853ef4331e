package main

// The client side of the idle scenario (one goroutine and one socket per
// visitor, dialled from the visitor's own loopback address) and the
// baseline server it is compared with.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	fastws "github.com/fasthttp/websocket"
	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
)

// init turns this process into the baseline server when re-executed so.
func init() {
	if os.Getenv(idleRoleEnv) == idleBaseRole {
		if err := serveIdleBaseline(); err != nil {
			fmt.Fprintln(os.Stderr, "idle baseline:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// serveIdleBaseline serves /ws on a loopback port, prints the address and
// runs until killed.
func serveIdleBaseline() error {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/ws", websocket.New(func(c *websocket.Conn) {
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	return app.Listener(ln)
}

// startIdleBaseline re-executes this binary as the baseline server.
func startIdleBaseline(ctx context.Context) (*idleTarget, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), idleRoleEnv+"="+idleBaseRole)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			stop()
			return nil, nil, errors.New("the baseline server did not start")
		}
		return &idleTarget{pid: cmd.Process.Pid, wsURL: func(idleVisitor) string { return "ws://" + a + "/ws" }}, stop, nil
	case <-time.After(10 * time.Second):
		stop()
		return nil, nil, errors.New("the baseline server did not print its address")
	case <-ctx.Done():
		stop()
		return nil, nil, ctx.Err()
	}
}

// idleFDs is how many file descriptors pid has open, for the log.
func idleFDs(pid int) string {
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return "?"
	}
	return fmt.Sprint(len(fds))
}

// idleThousands writes n with a comma every three digits.
func idleThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// idleSleep waits d unless ctx ends first.
func idleSleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// idleParallel runs fn(0) … fn(n-1) on workers goroutines and returns
// the first error; after one, the calls not yet started are skipped.
func idleParallel(ctx context.Context, n, workers int, fn func(i int) error) error {
	var mu sync.Mutex
	var first error
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		if first == nil && ctx.Err() != nil {
			first = ctx.Err()
		}
		return first
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n && failed() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return failed()
}

// idleConn is one visitor's socket, read by its own goroutine so that
// pings from the server are answered as a browser would.
type idleConn struct {
	ws    *fastws.Conn
	pongs chan struct{} // a pong to our ping
	msgs  chan struct{} // a "message" frame (an agent wrote)
	done  chan struct{} // the reader returned
}

// idlePage is what the widget sends first on every socket.
var idlePage = []byte(`{"type":"page","url":"https://hotel.example/rooms","title":"Our rooms"}`)

// dialIdle opens one socket per visitor, from the visitor's address, and
// sends the widget's page frame on each. On error every socket opened is
// closed.
func dialIdle(ctx context.Context, t *idleTarget, visitors []idleVisitor) ([]*idleConn, error) {
	conns := make([]*idleConn, len(visitors))
	err := idleParallel(ctx, len(visitors), idleDials, func(i int) error {
		ip := visitors[i].ip
		d := fastws.Dialer{
			HandshakeTimeout: 15 * time.Second,
			ReadBufferSize:   1024,
			WriteBufferSize:  1024,
			NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				nd := net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 15 * time.Second}
				return nd.DialContext(ctx, network, addr)
			},
		}
		ws, res, err := d.DialContext(ctx, t.wsURL(visitors[i]), nil)
		if res != nil && res.Body != nil {
			res.Body.Close()
		}
		if err != nil {
			return fmt.Errorf("socket %d from %s: %w", i, ip, err)
		}
		c := &idleConn{ws: ws, pongs: make(chan struct{}, 1), msgs: make(chan struct{}, 4), done: make(chan struct{})}
		conns[i] = c
		_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := ws.WriteMessage(fastws.TextMessage, idlePage); err != nil {
			ws.Close()
			return err
		}
		ws.SetPongHandler(func(string) error {
			select {
			case c.pongs <- struct{}{}:
			default:
			}
			return nil
		})
		go c.read()
		return nil
	})
	if err != nil {
		closeIdle(conns)
		return nil, err
	}
	return conns, nil
}

// read consumes frames until the socket closes; the library's default
// ping handler answers the server's pings from here.
func (c *idleConn) read() {
	defer close(c.done)
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		if strings.Contains(string(data), `"type":"message"`) {
			select {
			case c.msgs <- struct{}{}:
			default:
			}
		}
	}
}

// closeIdle closes every socket and waits for the readers.
func closeIdle(conns []*idleConn) {
	for _, c := range conns {
		if c != nil {
			c.ws.Close()
		}
	}
	for _, c := range conns {
		if c != nil {
			<-c.done
		}
	}
}

// idlePingAll sends a WebSocket ping on every socket and requires every pong:
// the proof, for the baseline and the hub alike, that all N are live.
func idlePingAll(ctx context.Context, conns []*idleConn) error {
	return idleParallel(ctx, len(conns), idleDials, func(i int) error {
		c := conns[i]
		if err := c.ws.WriteControl(fastws.PingMessage, []byte("bench"), time.Now().Add(10*time.Second)); err != nil {
			return fmt.Errorf("socket %d: ping: %w", i, err)
		}
		select {
		case <-c.pongs:
			return nil
		case <-c.done:
			return fmt.Errorf("socket %d closed by the server", i)
		case <-time.After(15 * time.Second):
			return fmt.Errorf("socket %d: no pong", i)
		}
	})
}

// idleSourceClient is an HTTP client whose connections come from ip.
func idleSourceClient(ip net.IP) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 15 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
}

// idleHubGoroutines reads hub_goroutines from the hub's /metrics.
func idleHubGoroutines(ctx context.Context, p *hubProc) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", p.Base+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	res, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "hub_goroutines "); ok {
			var n int
			_, err := fmt.Sscan(v, &n)
			return n, err
		}
	}
	return 0, errors.New("no hub_goroutines in /metrics")
}
