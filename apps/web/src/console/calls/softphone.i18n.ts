/**
 * Texts of the console's softphone (`calls.softphone.*`, docs/telephony.md). Kept beside the call
 * centre's catalogue so that file only names this section.
 */
export const softphoneZhCN = {
  status: {
    off: '软电话未启用',
    connecting: '软电话连接中',
    registered: '软电话已就绪',
    failed: '软电话注册失败，正在重试',
  },
  ringing: '软电话来电',
  dialing: '正在呼叫…',
  notReady: '软电话未就绪，请在呼叫工作台拨打',
  transfer: '转接',
  transferTitle: '转接',
  transferToAgent: '转给坐席',
  transferToNumber: '转外线',
  transferChoose: '选择坐席',
  transferNobody: '没有其他在岗坐席',
  transferNumber: '外线号码（家属、120、家庭医生等）',
  transferNumberBad: '请输入 3 至 20 位数字',
  transferring: '正在转接，对方接听后本通话结束',
  transferOnPhone: '请在话机上转接',
  transferNoCall: '通话尚未登记，请稍候再转接',
  mute: '静音',
  unmute: '取消静音',
  muted: '已静音',
  hold: '保持',
  unhold: '恢复通话',
  talkTime: '通话 {{time}}',
  micCheck: '麦克风检测',
  mic: {
    ok: '麦克风正常',
    silent: '未检测到声音，请检查麦克风',
    denied: '无法使用麦克风，请在浏览器中允许',
  },
};
