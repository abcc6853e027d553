package casecard

import _ "golang.org/x/text/encoding/simplifiedchinese" // GB18030 CSV files
