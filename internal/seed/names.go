package seed

import (
	"math/rand/v2"
	"strconv"
)

// Invented names: a surname (or, in the Uyghur style, a father's name) and a
// given name drawn independently, so any resemblance to a real person is
// chance. ID numbers come from invented area codes (see idArea).

var hanSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
	"董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
	"钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱",
	"江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "严", "覃",
	"戴", "莫", "向", "汤", "易", "欧阳"}

var hanMaleChars = []string{"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "斌",
	"宇", "浩", "博", "文", "建", "国", "志", "海", "波", "春", "立", "新", "德", "振", "宏", "俊", "峰", "亮", "林",
	"凯", "航", "轩", "泽", "睿", "晨", "远", "坤", "彬", "健", "毅", "昊", "然", "翔", "东", "华"}

var hanFemaleChars = []string{"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玉", "萍", "红", "玲", "芬",
	"燕", "欣", "怡", "佳", "婷", "雪", "琳", "瑶", "思", "雨", "梦", "诗", "晴", "月", "颖", "慧", "洁", "蕾", "薇",
	"菲", "倩", "兰", "凤", "莉", "璐", "晓", "文", "君", "丹", "宁", "悦", "彤", "妍", "岚", "春"}

var uyMale = []string{"艾力", "买买提", "阿不都热依木", "吐尔洪", "热合曼", "艾克拜尔", "努尔买买提", "亚森", "阿迪力",
	"麦麦提敏", "艾合买提", "吾买尔", "图尔荪", "帕尔哈提", "阿里木", "凯赛尔", "迪力夏提", "库尔班", "沙依木",
	"艾尔肯", "木拉提", "阿布都外力", "玉苏普江", "艾散江", "努尔艾力", "依力亚斯", "阿不来提", "麦合木提"}

var uyFemale = []string{"阿依古丽", "古丽娜尔", "热依拉", "米日古丽", "帕提古丽", "祖丽菲亚", "阿娜尔古丽", "努尔古丽",
	"再努尔", "迪丽努尔", "阿依努尔", "哈丽旦", "莎妮亚", "古再丽努尔", "布再娜普", "玛依拉", "阿丽米热", "古丽巴哈尔",
	"茹仙古丽", "阿依夏木", "苏比努尔", "米热阿依"}

var uyFather = []string{"吐尔逊", "艾买提", "阿不力孜", "肉孜", "买买提", "玉素甫", "卡德尔", "司马义", "吾斯曼",
	"阿西木", "依明", "托合提", "喀斯木", "热西提", "卡哈尔", "艾则孜", "吾守尔", "斯迪克", "阿布拉", "尼亚孜",
	"沙吾提", "阿吾提", "艾海提", "吐送", "麦麦提", "吐拉克", "巴拉提", "努尔"}

// hanName makes a Han-style name: surname and a one- or two-character
// given name.
func hanName(r *rand.Rand, female bool) string {
	chars := hanMaleChars
	if female {
		chars = hanFemaleChars
	}
	s := pick(r, hanSurnames) + pick(r, chars)
	if r.IntN(10) < 7 {
		s += pick(r, chars)
	}
	return s
}

// uyName makes a Uyghur-style name: given name · father's name.
func uyName(r *rand.Rand, female bool) string {
	given := uyMale
	if female {
		given = uyFemale
	}
	return pick(r, given) + "·" + pick(r, uyFather)
}

// personName names a person of an ethnicity in the matching style.
func personName(r *rand.Rand, ethnicity string, female bool) string {
	switch ethnicity {
	case "维吾尔族", "柯尔克孜族", "塔吉克族", "乌孜别克族", "哈萨克族":
		return uyName(r, female)
	}
	return hanName(r, female)
}

// regionEthnicity draws an ethnicity typical of the region's population.
func regionEthnicity(r *rand.Rand, region string) string {
	if region == "xj" {
		return pickWeighted(r, []weighted[string]{{"维吾尔族", 70}, {"汉族", 20}, {"回族", 5},
			{"柯尔克孜族", 3}, {"塔吉克族", 2}})
	}
	return pickWeighted(r, []weighted[string]{{"汉族", 92}, {"土家族", 3}, {"苗族", 2}, {"侗族", 2}, {"瑶族", 1}})
}

// uniqueNames hands out distinct names, for staff: two colleagues with the
// same name would make assignment explanations ambiguous.
type uniqueNames map[string]bool

func (u uniqueNames) take(gen func() string) string {
	for {
		if s := gen(); !u[s] {
			u[s] = true
			return s
		}
	}
}

// weighted is one choice with its weight.
type weighted[T any] struct {
	V T
	W int
}

func pickWeighted[T any](r *rand.Rand, ws []weighted[T]) T {
	total := 0
	for _, w := range ws {
		total += w.W
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.W {
			return w.V
		}
		n -= w.W
	}
	return ws[len(ws)-1].V
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance is true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between draws an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

func itoa(n int) string { return strconv.Itoa(n) }
