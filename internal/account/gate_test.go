package account

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGateBoundsHolders(t *testing.T) {
	g := make(gate, 2)
	var in, peak atomic.Int32
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := g.enter(context.Background()); err != nil {
				t.Error(err)
				return
			}
			n := in.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			Verify("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x") // real work while inside
			in.Add(-1)
			g.leave()
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("peak holders %d, want 1..2", p)
	}
}

func TestGateWaitEndsWithRequest(t *testing.T) {
	g := make(gate, 1)
	if err := g.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.enter(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("full gate, ended request: %v", err)
	}
	g.leave()
	if err := g.enter(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("free gate: %v", err)
	}
}
