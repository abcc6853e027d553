package audit

import (
	"context"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
)

// ReaderStore is what the audit page needs.
type ReaderStore interface {
	AuditEntries(ctx context.Context, q Query) ([]Entry, error)
	AppendAudit(ctx context.Context, r Record) error
}

// ActorOf is the audit actor of a signed-in principal in a request.
func ActorOf(p access.Principal, client, requestID string) Actor {
	return Actor{UserID: p.UserID, Username: p.Username, Role: p.RoleString(), UnitID: p.UnitID, Client: client,
		RequestID: requestID}
}

// Reader serves the audit page to the audit administrator only; each
// search is itself audited.
type Reader struct{ store ReaderStore }

// NewReader wires the reader.
func NewReader(st ReaderStore) *Reader { return &Reader{store: st} }

// Search returns entries matching q, newest first.
func (r *Reader) Search(ctx context.Context, p access.Principal, a Actor, q Query) ([]Entry, error) {
	if !access.CanReadAudit(p) {
		return nil, apperr.ErrForbidden
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 100
	}
	if err := r.store.AppendAudit(ctx, Record{Actor: a, Action: "audit.search", ObjectType: "audit", Result: ResultOK,
		Detail: "user=" + q.Username + " action=" + q.Action}); err != nil {
		return nil, err
	}
	return r.store.AuditEntries(ctx, q)
}
