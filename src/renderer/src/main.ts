import { mount } from 'svelte';
import App from './App.svelte';
import { detectBackend } from './lib/backend.js';
import { Studio } from './state/studio.svelte.js';
import './styles/app.css';

mount(App, { target: document.getElementById('app')!, props: { studio: new Studio(detectBackend()) } });
