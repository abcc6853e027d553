package dataquality

import "github.com/expr-lang/expr/ast"

// fastPath rewrites the two most frequent helper calls on card items into
// plain comparisons when a rule is compiled: blank(card.X) becomes
// card.X == "" and before(card.X, card.Y) becomes card.X != "" &&
// card.Y != "" && card.X < card.Y. A call through expr passes its
// arguments in a fresh []any on every evaluation; the comparisons do not
// allocate, and the nightly scan evaluates ~50 rules on every card.
//
// The rewrite is exact only because of what a card item holds: every
// item is stored trimmed (imports and the case projection trim), and every
// date item is a valid ISO date or "" (imports validate them; cases store
// ISO dates), which compares as text in date order. Arguments that are not
// card items (a computed date, a literal) keep the helper call.
type fastPath struct{}

func (fastPath) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return
	}
	switch {
	case id.Value == "blank" && len(call.Arguments) == 1 && isItem(call.Arguments[0]):
		ast.Patch(node, &ast.BinaryNode{Operator: "==", Left: call.Arguments[0], Right: &ast.StringNode{Value: ""}})
	case id.Value == "before" && len(call.Arguments) == 2 && isItem(call.Arguments[0]) && isItem(call.Arguments[1]):
		a, b := call.Arguments[0], call.Arguments[1]
		filled := &ast.BinaryNode{Operator: "&&",
			Left:  &ast.BinaryNode{Operator: "!=", Left: a, Right: &ast.StringNode{Value: ""}},
			Right: &ast.BinaryNode{Operator: "!=", Left: b, Right: &ast.StringNode{Value: ""}}}
		ast.Patch(node, &ast.BinaryNode{Operator: "&&", Left: filled,
			Right: &ast.BinaryNode{Operator: "<", Left: a, Right: b}})
	}
}

// isItem reports whether n reads an item of a card: card.X, or .X on a
// related card inside a predicate, or today (an ISO date).
func isItem(n ast.Node) bool {
	switch v := n.(type) {
	case *ast.MemberNode:
		prop, ok := v.Property.(*ast.StringNode)
		if !ok {
			return false
		}
		switch prop.Value {
		case "ReceivedOn", "DecidedOn", "ClosedOn", "EnteredOn", "PleaSignedOn":
			return true // dates: valid ISO or ""
		}
		return !v.Optional
	case *ast.IdentifierNode:
		return v.Value == "today"
	}
	return false
}
