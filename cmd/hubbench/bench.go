package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// bench is what scenarios share: the options, a scratch directory and the
// hub binary (built once, on first use).
type bench struct {
	opt options
	dir string
	log io.Writer

	buildOnce sync.Once
	binary    string
	buildErr  error
}

func newBench(opt options, log io.Writer) (*bench, error) {
	dir, err := os.MkdirTemp("", "hubbench-")
	if err != nil {
		return nil, err
	}
	return &bench{opt: opt, dir: dir, log: log}, nil
}

func (b *bench) close() {
	if b.opt.KeepDir {
		b.logf("kept %s", b.dir)
		return
	}
	os.RemoveAll(b.dir)
}

// logf reports progress on stderr, so stdout holds only the table.
func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

// tempDir makes a fresh directory under the bench's scratch directory.
func (b *bench) tempDir(name string) (string, error) {
	return os.MkdirTemp(b.dir, name+"-")
}

// hubBinary builds ./cmd/hub of this module once and returns its path.
func (b *bench) hubBinary(ctx context.Context) (string, error) {
	b.buildOnce.Do(func() {
		root, err := moduleRoot(ctx)
		if err != nil {
			b.buildErr = err
			return
		}
		b.binary = filepath.Join(b.dir, "hub")
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b.binary, "./cmd/hub")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			b.buildErr = fmt.Errorf("go build ./cmd/hub: %v\n%s", err, out)
		}
	})
	return b.binary, b.buildErr
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run hubbench from inside the hub module")
	}
	return filepath.Dir(mod), nil
}

// alternate runs baseline and candidate one after the other, rounds
// times, and returns every measurement of each (for medians).
func alternate[T any](ctx context.Context, rounds int, baseline, candidate func(ctx context.Context, round int) (T, error)) (base, cand []T, err error) {
	for i := range rounds {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		x, err := baseline(ctx, i)
		if err != nil {
			return nil, nil, fmt.Errorf("baseline round %d: %w", i+1, err)
		}
		base = append(base, x)
		y, err := candidate(ctx, i)
		if err != nil {
			return nil, nil, fmt.Errorf("hub round %d: %w", i+1, err)
		}
		cand = append(cand, y)
	}
	return base, cand, nil
}
