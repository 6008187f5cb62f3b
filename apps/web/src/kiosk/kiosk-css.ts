/**
 * The kiosk's layout: full screen, two columns on a landscape tablet (1280×800), one column on a
 * portrait one (800×1280); type of at least 22 px and targets of at least 56 px throughout.
 */
export const KIOSK_CSS = `
.zy-kiosk{min-height:100vh;background:#eef4f2;display:flex;flex-direction:column;line-height:1.4}
.zy-kiosk .ant-btn{font-size:24px}
.kiosk-head{display:flex;align-items:center;gap:16px;padding:12px 24px;background:#0f7b6c;color:#fff}
.kiosk-main{flex:1;padding:20px 24px;display:flex;flex-direction:column}
.kiosk-pill{font-size:22px;padding:8px 16px;border-radius:999px;background:#fff7e6;color:#ad4e00;font-weight:600}
.kiosk-pill.is-off{background:#fff1f0;color:#a8071a}
.kiosk-split{display:grid;grid-template-columns:minmax(0,3fr) minmax(320px,2fr);gap:24px;align-items:start}
.kiosk-overlay{position:absolute;inset:0;display:flex;flex-direction:column;align-items:center;justify-content:center;background:rgba(0,0,0,.35);color:#fff;font-size:28px}
.kiosk-keypad{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;max-width:480px}
.kiosk-overlay .ant-spin-dot-item{background:#fff}
.kiosk-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:16px}
.kiosk-card{min-height:96px;text-align:left;padding:16px 20px;border-radius:16px;border:2px solid #d9e6e2;background:#fff;cursor:pointer}
.kiosk-card:active{background:#e6f4f1}
.kiosk-order{display:flex;flex-direction:column;gap:16px;padding-bottom:112px}
.kiosk-dishes{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:16px}
.kiosk-dish{display:flex;flex-direction:column;gap:8px;background:#fff;border-radius:16px;padding:16px 20px;border:3px solid transparent;min-height:200px}
.kiosk-dish.is-chosen{border-color:#0f7b6c}
.kiosk-dish.is-warned{background:#fffafa}
.kiosk-tag{align-self:flex-start;font-size:22px;padding:2px 12px;border-radius:8px;background:#0f7b6c;color:#fff}
.kiosk-bar{position:fixed;left:0;right:0;bottom:0;display:flex;flex-wrap:wrap;align-items:center;gap:12px;padding:12px 24px;background:#fff;box-shadow:0 -2px 12px rgba(0,0,0,.12);z-index:10}
.kiosk-ticket{font-size:160px;font-weight:800;line-height:1.1;color:#0f7b6c;letter-spacing:8px}
@media (orientation:portrait){
  .kiosk-split{grid-template-columns:1fr}
  .kiosk-dishes{grid-template-columns:1fr 1fr}
  .kiosk-order{padding-bottom:200px}
}
`;
