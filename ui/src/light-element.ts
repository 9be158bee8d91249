import { LitElement } from 'lit';

/**
 * Renders into the element itself instead of a shadow root: this is one app, not a component
 * library, so one stylesheet styles it and tests/screen readers see plain DOM (data-* hooks are
 * reachable with document.querySelector).
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
