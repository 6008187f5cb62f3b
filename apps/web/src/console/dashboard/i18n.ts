/** Texts of the console landing pages (namespace `home`), zh-CN. */
export const homeZhCN = {
  scopeSelf: '本人',
  scopeOrg: '本机构',
  scopeAll: '全平台',
  todo: '待办',
  nothingToDo: '暂无待办',
  more: '查看全部',
  district: {
    title: '今日全区概况',
    alarmsToday: '今日生命安全告警',
    openAlarms: '未结生命安全告警',
    ordersToday: '今日服务工单',
    sla: '今日 60 秒接警率',
    overdueAssessments: '评估已逾期',
    pendingProviders: '待准入服务商',
    providersTodo: '待准入的服务商',
    assessmentsTodo: '评估逾期最多的社区',
    overdueIn: '逾期 {{n}} 人',
  },
  community: {
    title: '辖区待办',
    dueAssessments: '30 天内到期或逾期评估',
    openAlarms: '辖区未结生命安全告警',
    ordersToday: '今日服务工单',
    alarmsTodo: '未结生命安全告警',
    dueTodo: '到期待评估的老人',
    neverAssessed: '从未评估',
    overdue: '已逾期',
    dueOn: '{{date}} 到期',
  },
  provider: {
    title: '本机构今日',
    toAccept: '待接单',
    toAssign: '已接单待派人',
    inService: '服务中',
    onDuty: '在岗服务人员',
    acceptTodo: '待接的工单',
    staffTodo: '在岗服务人员',
  },
  /** The approve / reject buttons on a pending provider's row (服务商 list). */
  decision: {
    actions: '操作',
    approveConfirm: '确认准入“{{name}}”？准入后即可接单。',
    rejectConfirm: '不予准入“{{name}}”',
    rejectReason: '请填写不予准入的理由（至少 2 个字）',
    approved: '已准入',
    rejected: '已不予准入',
  },
  planned: {
    title: '您的工作台',
    canteen:
      '左侧“助餐服务”中可查看今日就餐、办理当天退餐、设置一周菜单、送餐和月度结算；老人刷脸就餐请点下面的“打开自助终端”。您可以在右上角修改密码。',
    institution:
      '养老机构模块（床位、入住、护理记录）正在规划中。目前您可以在告警中心查看本机构设备发出的告警，在设备管理和设备健康查看设备。',
    alarms: '打开告警中心',
    kiosk: '打开自助终端',
  },
};
