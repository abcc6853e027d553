package seed

// Word lists of the synthetic cases. Charge names must not contain "、"
// (the store joins a case's charges with it).

// baseCharges: the common charges of a base-level procuratorate.
var baseCharges = []weighted[string]{
	{"危险驾驶罪", 180}, {"盗窃罪", 140}, {"帮助信息网络犯罪活动罪", 100}, {"诈骗罪", 90}, {"故意伤害罪", 70},
	{"寻衅滋事罪", 50}, {"开设赌场罪", 40}, {"交通肇事罪", 35}, {"非法吸收公众存款罪", 20}, {"赌博罪", 20},
	{"容留他人吸毒罪", 15}, {"故意毁坏财物罪", 15}, {"妨害公务罪", 15}, {"袭警罪", 10}, {"信用卡诈骗罪", 15},
	{"聚众斗殴罪", 10}, {"敲诈勒索罪", 10}, {"职务侵占罪", 10}, {"合同诈骗罪", 10}, {"非法捕捞水产品罪", 8},
	{"滥伐林木罪", 6}, {"非法占用农用地罪", 6}, {"抢劫罪", 10}, {"强奸罪", 6}, {"非法持有毒品罪", 8},
	{"受贿罪", 4}, {"贪污罪", 3}, {"挪用公款罪", 2},
}

// cityCharges: the more serious cases a prefecture-level procuratorate
// handles at first instance.
var cityCharges = []weighted[string]{
	{"故意杀人罪", 20}, {"抢劫罪", 15}, {"集资诈骗罪", 15}, {"非法吸收公众存款罪", 20}, {"故意伤害罪", 25},
	{"强奸罪", 8}, {"组织卖淫罪", 5}, {"合同诈骗罪", 10}, {"诈骗罪", 20}, {"非法经营罪", 10},
	{"拒不支付劳动报酬罪", 5}, {"重大责任事故罪", 6}, {"受贿罪", 10}, {"贪污罪", 6},
}

// minorCharges: typical charges of juvenile suspects.
var minorCharges = []weighted[string]{
	{"盗窃罪", 40}, {"寻衅滋事罪", 20}, {"故意伤害罪", 15}, {"抢劫罪", 10}, {"聚众斗殴罪", 10},
	{"帮助信息网络犯罪活动罪", 5},
}

// dutyCrimes are investigated by the supervisory commission (监察委) and
// come to the procuratorate as transfers for prosecution only.
var dutyCrimes = map[string]bool{"受贿罪": true, "贪污罪": true, "挪用公款罪": true}

// victimCrimes have an individual victim worth recording as a party.
var victimCrimes = map[string]bool{"盗窃罪": true, "诈骗罪": true, "故意伤害罪": true, "抢劫罪": true, "敲诈勒索罪": true,
	"强奸罪": true, "故意毁坏财物罪": true, "合同诈骗罪": true, "交通肇事罪": true, "故意杀人罪": true,
	"寻衅滋事罪": true, "信用卡诈骗罪": true}

var civilCauses = []string{"民间借贷纠纷", "买卖合同纠纷", "劳动争议", "机动车交通事故责任纠纷", "房屋租赁合同纠纷",
	"建设工程施工合同纠纷", "离婚后财产纠纷", "物业服务合同纠纷", "追索劳动报酬纠纷", "房屋买卖合同纠纷"}

var adminCauses = []string{"行政处罚", "工伤认定", "房屋征收补偿", "土地行政登记", "行政许可", "社会保险待遇",
	"政府信息公开", "行政强制"}

var pilAdminTopics = []string{"督促整治农村饮用水水源地污染", "督促整治城区道路窨井盖安全隐患", "督促整治河道非法采砂",
	"督促规范校园周边食品安全", "督促保护耕地", "督促整治建筑垃圾违规倾倒", "督促保护不可移动文物",
	"督促落实无障碍环境建设", "督促追缴国有土地使用权出让金", "督促整治医疗废物违规处置", "督促整治燃气安全隐患",
	"督促保护未成年人免受网吧侵害"}

var pilCivilViolations = []string{"非法捕捞水产品", "销售假药", "生产销售不符合安全标准的食品", "非法占用农用地",
	"污染环境", "滥伐林木", "侵犯公民个人信息", "非法狩猎"}

var returnNotes = []string{"部分犯罪事实不清、证据不足，退回补充侦查", "需补充鉴定意见及同案人供述，退回补充侦查",
	"遗漏同案犯罪嫌疑人，退回补充侦查", "涉案财物去向不明，退回补充侦查"}

var designateReasons = []string{"案情重大、复杂，社会影响较大，由检察长指定办理",
	"与本院前案关联，指定原承办检察官办理", "涉及群体性利益，指定资深检察官办理"}

// outcomeNotes is the note recorded with a decision.
var outcomeNotes = map[string]string{
	"approve_arrest":             "批准逮捕",
	"reject_arrest":              "无逮捕必要，不批准逮捕",
	"reject_arrest_insufficient": "证据不足，不批准逮捕",
	"prosecute":                  "向%s提起公诉",
	"np_statutory":               "犯罪情节显著轻微，法定不起诉",
	"np_discretionary":           "犯罪情节轻微，依法作出相对不起诉决定",
	"np_insufficient":            "证据不足，不符合起诉条件，作出存疑不起诉决定",
	"np_conditional":             "作出附条件不起诉决定，考验期六个月",
	"transfer":                   "移送有管辖权的人民检察院",
	"protest":                    "提请上级人民检察院抗诉",
	"retrial_recommendation":     "向%s发出再审检察建议",
	"recommendation":             "向%s发出检察建议",
	"not_supported":              "作出不支持监督申请决定",
	"terminate":                  "终结审查",
	"pre_suit_recommendation":    "向行政机关发出诉前检察建议",
	"sue":                        "向%s提起公益诉讼",
}
