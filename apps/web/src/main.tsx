import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { languageReady } from './app/i18n.ts';
import 'antd/dist/antd.css';
import './app/global.css';
import { App } from './app/App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

void languageReady.then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
