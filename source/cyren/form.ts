import type {ProxySettings} from './proxy-document.js';
import type {ProxyOverview} from './proxy-files.js';
import {parsePort, validatePassword, validatePort, validateServer, validateUserName} from './validate.js';

/** The interactive form's fields, as typed. */
export interface ProxyForm {
  server: string;
  port: string;
  auth: 'NoAuth' | 'Basic';
  user: string;
  password: string;
}

export type FormField = keyof ProxyForm;
export type FormErrors = Partial<Record<FormField, string>>;

/** Pre-filled from the first enabled file (never with the password: that stays empty = keep). */
export function formFromOverview(overview: ProxyOverview): ProxyForm {
  const source = overview.files.find(file => file.status === 'enabled') ?? overview.files.find(file => file.server);
  return {
    server: source?.server ?? '',
    port: source?.port ? String(source.port) : '',
    auth: source?.auth?.toLowerCase() === 'basic' ? 'Basic' : 'NoAuth',
    user: source?.user ?? '',
    password: '',
  };
}

/** True when every file has an active password, so an empty password field may keep it. */
export function canKeepPassword(overview: ProxyOverview): boolean {
  return overview.files.length > 0 && overview.files.every(file => file.passwordSet);
}

export function validateForm(form: ProxyForm, keepPasswordAllowed: boolean): FormErrors {
  const errors: FormErrors = {};
  const server = validateServer(form.server);
  if (server) errors.server = server;
  const port = validatePort(form.port);
  if (port) errors.port = port;
  if (form.auth === 'Basic') {
    const user = validateUserName(form.user);
    if (user) errors.user = user;
    if (!(form.password.length === 0 && keepPasswordAllowed)) {
      const password = validatePassword(form.password);
      if (password) errors.password = password;
    }
  }
  return errors;
}

export function formToSettings(form: ProxyForm): ProxySettings {
  const settings: ProxySettings = {server: form.server.trim(), port: parsePort(form.port)!, auth: form.auth};
  if (form.auth === 'Basic') {
    settings.user = form.user;
    if (form.password.length > 0) settings.password = form.password;
  }
  return settings;
}
