package web

import (
	"fmt"
	"net/http"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/org"
)

// AidSharedPage is what the aided units share with the aiding side
// beyond aggregates (共享内容): the evaluation review and the anonymised
// problem list of each aided unit.
type AidSharedPage struct {
	AidBase
	S aid.Shared
}

func (h *Handler) aidShared(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	req := h.aidRequest(r, u)
	s, err := h.Aid.Shared(r.Context(), req, id)
	if err != nil {
		return err
	}
	p := &AidSharedPage{AidBase: h.aidBase(r, u, s.Pairing, h.T.T("ui.aid.shared_title", s.Pairing.Name),
		fmt.Sprintf("/aid/pairings/%d/shared", id)), S: s}
	return h.render(w, r, http.StatusOK, "aid_shared", p)
}
