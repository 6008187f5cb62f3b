/**
 * Texts of the call recording player in the call log's drawer (`calls.recordings.*`). Kept beside
 * the call centre's catalogue so that file only names this section.
 */
export const recordingsZhCN = {
  play: '播放录音',
  loading: '正在载入录音…',
  hint: '左声道为来电方，右声道为坐席；每次播放都记入审计日志',
  elsewhere: '录音保存在其他录音系统中，请到该系统收听',
  notAllowed: '仅接听该通话的坐席和班长可以收听录音',
  part: '第{{n}}段',
  noAgent: '无坐席',
};

export type RecordingsTexts = typeof recordingsZhCN;
