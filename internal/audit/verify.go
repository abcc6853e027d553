package audit

import "fmt"

// Problem describes the first inconsistency Verify found.
type Problem struct {
	Seq    int64  // the entry at which the chain breaks (0 = the head)
	Reason string // "hash", "prev_hash", "gap", "order", "head"
}

func (p *Problem) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", p.Seq, p.Reason)
}

// Head is the stored summary of the last entry, kept outside the log so that
// removing entries from the end is detected too.
type Head struct {
	Seq  int64
	Hash string
}

// Verifier checks entries in storage order, one at a time, so a log of any
// size is verified in constant memory.
type Verifier struct {
	h       Hasher
	prevSeq int64
	prev    string
	count   int64
}

// NewVerifier starts a verification with the given hash function.
func NewVerifier(h Hasher) *Verifier { return &Verifier{h: h} }

// Next checks one entry (entries must be fed in ascending storage order).
func (v *Verifier) Next(e Entry) error {
	switch {
	case e.Seq <= v.prevSeq:
		return &Problem{Seq: e.Seq, Reason: "order"}
	case e.Seq != v.prevSeq+1:
		return &Problem{Seq: e.Seq, Reason: "gap"}
	case e.PrevHash != v.prev:
		return &Problem{Seq: e.Seq, Reason: "prev_hash"}
	}
	if Chain(v.h, e.Seq, e.At.UnixMilli(), e.Record, e.PrevHash) != e.Hash {
		return &Problem{Seq: e.Seq, Reason: "hash"}
	}
	v.prevSeq, v.prev = e.Seq, e.Hash
	v.count++
	return nil
}

// Finish compares the last entry with the stored head.
func (v *Verifier) Finish(head Head) (int64, error) {
	if head.Seq != v.prevSeq || head.Hash != v.prev {
		return v.count, &Problem{Seq: v.prevSeq + 1, Reason: "head"}
	}
	return v.count, nil
}
