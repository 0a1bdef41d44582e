/**
 * The app itself, loaded by main.ts once the library's first call has left:
 * Svelte, the shell and the library screen, with the styles and the fonts
 * (index.html preloads this chunk and its styles, so they are fetched beside
 * the entry, not after it).
 */
import { mount } from 'svelte';
import App from './App.svelte';
// Fonts ship inside the app (served from its own origin); nothing is fetched from the network.
import '@fontsource-variable/inter';
import '@fontsource/jetbrains-mono/400.css';
import '@fontsource/jetbrains-mono/700.css';
import './styles/app.css';

/** Mounts the app into `target`. */
export function start(target: HTMLElement): ReturnType<typeof mount> {
  return mount(App, { target });
}
