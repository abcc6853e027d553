// Package reqctx carries who is asking through a request's context: the
// request id (请求编号), the client address, and the authenticated user.
// The server sets the first two; the web and API surfaces set the user.
package reqctx

import (
	"context"

	"github.com/anguan/anguan/internal/org"
)

type key int

const (
	requestKey key = iota
	userKey
)

type request struct{ id, client string }

// WithRequest stores the request id and client address.
func WithRequest(ctx context.Context, id, client string) context.Context {
	return context.WithValue(ctx, requestKey, request{id, client})
}

// RequestID returns the request id ("" outside a request).
func RequestID(ctx context.Context) string { r, _ := ctx.Value(requestKey).(request); return r.id }

// Client returns the client address.
func Client(ctx context.Context) string { r, _ := ctx.Value(requestKey).(request); return r.client }

// WithUser stores the authenticated user.
func WithUser(ctx context.Context, u org.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// User returns the authenticated user, if any.
func User(ctx context.Context) (org.User, bool) { u, ok := ctx.Value(userKey).(org.User); return u, ok }
