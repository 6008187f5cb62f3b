-- Missed-meal signals are worked by the community: 已联系 (called), 已上门 (visited) or 无需处理
-- (no_action), with a note; a handled signal leaves the open list.
ALTER TABLE meal_signals
  ADD COLUMN handled_at   timestamptz,
  ADD COLUMN handled_by   uuid,
  ADD COLUMN outcome      text CHECK (outcome IN ('called', 'visited', 'no_action')),
  ADD COLUMN handle_note  text CHECK (length(handle_note) <= 500),
  ADD CONSTRAINT meal_signals_handled_chk CHECK ((handled_at IS NULL) = (outcome IS NULL));
CREATE INDEX meal_signals_open_idx ON meal_signals (region_code, day DESC) WHERE handled_at IS NULL;
