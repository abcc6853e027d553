package aid

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Ledger entry kinds.
const (
	EntryAllocation  = "allocation"  // 拨付
	EntryExpenditure = "expenditure" // 支出
)

// EntryKinds lists the kinds.
func EntryKinds() []string { return []string{EntryAllocation, EntryExpenditure} }

// Entry is one line of the fund ledger.
type Entry struct {
	ID         int64
	PairingID  int64
	Kind       string
	EntryOn    string
	AmountFen  int64
	Purpose    string
	Attachment *Attachment
	CreatedBy  string
	CreatedAt  time.Time
	// BalanceFen is the balance after this entry, in ledger order (date,
	// then id).
	BalanceFen int64
}

// EntryInput is a fund entry as a form or a request gives it; the amount
// is already in fen (the form converts yuan with ParseYuan).
type EntryInput struct {
	Kind      string
	EntryOn   string
	AmountFen int64
	Purpose   string
	File      *Upload
}

// Totals sums a ledger.
type Totals struct {
	AllocatedFen int64 `json:"allocated_fen"`
	SpentFen     int64 `json:"spent_fen"`
	BalanceFen   int64 `json:"balance_fen"`
}

// ErrOverdrawn is returned by the store when an expenditure would make
// the balance negative; Balance is the balance before it.
type ErrOverdrawn struct{ BalanceFen int64 }

func (e *ErrOverdrawn) Error() string {
	return fmt.Sprintf("aid: balance %d fen is too low", e.BalanceFen)
}

// LedgerStore keeps the fund ledger.
type LedgerStore interface {
	// AidLedger lists a pairing's entries in ledger order (date, id).
	AidLedger(ctx context.Context, pairingID int64) ([]Entry, error)
	// AddAidEntry stores an entry and its attachment (content may be
	// nil). An expenditure is checked against the balance inside the
	// transaction (*ErrOverdrawn).
	AddAidEntry(ctx context.Context, e Entry, content []byte, actorID int64, rec audit.Record) (int64, error)
	// AidAttachment loads an attachment of a pairing with its content.
	AidAttachment(ctx context.Context, pairingID, entryID int64) (Attachment, []byte, error)
}

// Ledger lists a pairing's fund entries with the running balance and the
// totals, audited.
func (s *Service) Ledger(ctx context.Context, r Request, pairingID int64) (Pairing, []Entry, Totals, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return Pairing{}, nil, Totals{}, err
	}
	es, err := s.store.AidLedger(ctx, pairingID)
	if err != nil {
		return Pairing{}, nil, Totals{}, err
	}
	tot := Sum(es)
	if err := s.audited(ctx, r, "aid.ledger.view", pairingID, fmt.Sprintf("rows=%d", len(es))); err != nil {
		return Pairing{}, nil, Totals{}, err
	}
	return pr, es, tot, nil
}

// Sum computes the running balance of entries in ledger order and their
// totals, in integer fen.
func Sum(es []Entry) Totals {
	var t Totals
	for i := range es {
		if es[i].Kind == EntryAllocation {
			t.AllocatedFen += es[i].AmountFen
		} else {
			t.SpentFen += es[i].AmountFen
		}
		es[i].BalanceFen = t.AllocatedFen - t.SpentFen
	}
	t.BalanceFen = t.AllocatedFen - t.SpentFen
	return t
}

// AddEntry records a fund entry. The amount is a positive number of fen,
// the date lies in the pairing's period, an attachment is at most 10 MB
// of an accepted type, and an expenditure never overdraws the fund; a
// refused entry writes nothing.
func (s *Service) AddEntry(ctx context.Context, r Request, pairingID int64, in EntryInput) (int64, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	if !CanWrite(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	if !slices.Contains(EntryKinds(), in.Kind) {
		add(v, "kind", "err.aid_entry_kind_invalid")
	}
	checkDate(v, "entry_on", in.EntryOn, &pr)
	switch {
	case in.AmountFen <= 0:
		add(v, "amount_fen", "err.aid_amount_positive")
	case in.AmountFen > maxFen:
		add(v, "amount_fen", "err.aid_amount_too_large")
	}
	e := Entry{PairingID: pairingID, Kind: in.Kind, EntryOn: in.EntryOn, AmountFen: in.AmountFen,
		Purpose: strings.TrimSpace(in.Purpose)}
	checkText(v, "purpose", e.Purpose, maxPlace, true)
	var content []byte
	if in.File != nil {
		att, key := checkUpload(*in.File)
		switch key {
		case "":
			e.Attachment, content = &att, in.File.Data
		case "err.aid_file_too_large":
			add(v, "attachment", key, fmt.Sprintf("%.1f", float64(len(in.File.Data))/(1<<20)), MaxAttachmentBytes>>20)
		default:
			add(v, "attachment", key)
		}
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	id, err := s.store.AddAidEntry(ctx, e, content, r.P.UserID, r.record("aid.ledger.add", objPairing, pairingID,
		fmt.Sprintf("kind=%s entry_on=%s amount_fen=%d attachment=%t", e.Kind, e.EntryOn, e.AmountFen, e.Attachment != nil)))
	var over *ErrOverdrawn
	if errors.As(err, &over) {
		return 0, invalid("amount_fen", "err.aid_overdrawn", FormatYuan(over.BalanceFen), FormatYuan(e.AmountFen))
	}
	return id, err
}

// Attachment opens the attachment of a fund entry, audited.
func (s *Service) Attachment(ctx context.Context, r Request, pairingID, entryID int64) (Attachment, []byte, error) {
	if _, err := s.visible(ctx, r, pairingID); err != nil {
		return Attachment{}, nil, err
	}
	a, data, err := s.store.AidAttachment(ctx, pairingID, entryID)
	if err != nil {
		return Attachment{}, nil, err
	}
	if err := s.audited(ctx, r, "aid.attachment.view", pairingID, fmt.Sprintf("entry=%d sha256=%s", entryID, a.SHA256)); err != nil {
		return Attachment{}, nil, err
	}
	return a, data, nil
}

// Headroom is the most an expenditure dated on may spend of a ledger in
// ledger order (date, then id): the new entry goes after every entry of
// its date and lowers every balance from there on, so it may take no more
// than the lowest of them. Spending more would make some day's balance
// negative, even when the final balance would cover it.
func Headroom(es []Entry, on string) int64 {
	bal, atDate, low := int64(0), int64(0), int64(math.MaxInt64)
	for _, e := range es {
		if e.Kind == EntryAllocation {
			bal += e.AmountFen
		} else {
			bal -= e.AmountFen
		}
		if e.EntryOn <= on {
			atDate = bal
		} else if bal < low {
			low = bal
		}
	}
	return min(atDate, low)
}
