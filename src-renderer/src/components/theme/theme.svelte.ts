/**
 * Light / dark theme. "system" follows the operating system
 * (prefers-color-scheme); "light" and "dark" override it. The choice is kept
 * in localStorage and applied as `data-theme` on <html>, which the colour
 * variables in styles/app.css read.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_STORAGE_KEY = 'sandtable.theme';

function isChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

export class Theme {
  #choice = $state<ThemeChoice>('system');
  #root: HTMLElement;
  #storage: Storage | null;

  constructor(root: HTMLElement = document.documentElement, storage: Storage | null = safeLocalStorage()) {
    this.#root = root;
    this.#storage = storage;
    let stored: string | null = null;
    try {
      stored = storage?.getItem(THEME_STORAGE_KEY) ?? null;
    } catch {
      // Storage may be unavailable (privacy settings); the system theme is used.
    }
    this.#choice = isChoice(stored) ? stored : 'system';
    this.#apply();
  }

  get choice(): ThemeChoice {
    return this.#choice;
  }

  /** Switches theme and remembers the choice for the next start. */
  set(choice: ThemeChoice): void {
    this.#choice = choice;
    try {
      if (choice === 'system') this.#storage?.removeItem(THEME_STORAGE_KEY);
      else this.#storage?.setItem(THEME_STORAGE_KEY, choice);
    } catch {
      // Not remembered, but still applied.
    }
    this.#apply();
  }

  #apply(): void {
    if (this.#choice === 'system') delete this.#root.dataset.theme;
    else this.#root.dataset.theme = this.#choice;
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
