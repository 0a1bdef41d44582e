// First: zod must not probe for eval (the CSP forbids it) when the contract's schemas are built.
import './lib/zod-config.ts';
// Then: the library's first call leaves before the rest of the app is evaluated and mounted.
import './lib/state/library-start.ts';
import { mount } from 'svelte';
import App from './App.svelte';
// Fonts ship inside the app (served from its own origin); nothing is fetched from the network.
import '@fontsource-variable/inter';
import '@fontsource/jetbrains-mono/400.css';
import '@fontsource/jetbrains-mono/700.css';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('The #app element is missing from index.html');

export default mount(App, { target });
