package account

import "context"

// gate admits at most cap(g) holders at once: the password checks that
// may run together (Settings.Hashers).
type gate chan struct{}

// enter waits for a place, or for ctx to end (its error is returned).
func (g gate) enter(ctx context.Context) error {
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leave gives the place back.
func (g gate) leave() { <-g }
