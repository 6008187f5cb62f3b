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
  transferTitle: '转接给其他坐席',
  transferChoose: '选择坐席',
  transferNobody: '没有其他在岗坐席',
  transferring: '正在转接，对方接听后本通话结束',
  transferOnPhone: '请在话机上转接',
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

export const softphoneEnUS: typeof softphoneZhCN = {
  status: {
    off: 'Softphone off',
    connecting: 'Softphone connecting',
    registered: 'Softphone ready',
    failed: 'Softphone registration failed; retrying',
  },
  ringing: 'Softphone ringing',
  dialing: 'Calling…',
  notReady: 'The softphone is not ready: dial from the agent console',
  transfer: 'Transfer',
  transferTitle: 'Transfer to another agent',
  transferChoose: 'Choose an agent',
  transferNobody: 'No other agent at work',
  transferring: 'Transferring: this call ends once the other agent answers',
  transferOnPhone: 'Transfer on the desk phone',
  mute: 'Mute',
  unmute: 'Unmute',
  muted: 'Muted',
  hold: 'Hold',
  unhold: 'Resume',
  talkTime: 'Talking {{time}}',
  micCheck: 'Check microphone',
  mic: {
    ok: 'Microphone works',
    silent: 'No sound heard; check the microphone',
    denied: 'The microphone cannot be used; allow it in the browser',
  },
};
