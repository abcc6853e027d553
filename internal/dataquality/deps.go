package dataquality

import _ "github.com/expr-lang/expr" // the rule language; see library.go
