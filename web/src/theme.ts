import { createTheme, darken, type CSSVariablesResolver } from '@mantine/core';

/**
 * Mantine's defaults, adjusted so text meets WCAG AA contrast (4.5:1) in
 * both schemes, which axe-core checks on every page: filled colours and
 * links one shade darker, "dimmed" and error text a step stronger, and the
 * text of light-variant badges and alerts darker than Mantine's shade 9
 * (orange, yellow and teal text on their own tint fall short otherwise).
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  focusRing: 'auto',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '650' },
});

export const cssVariablesResolver: CSSVariablesResolver = (resolved) => {
  const lightVariantText: Record<string, string> = {};
  for (const [name, shades] of Object.entries(resolved.colors)) {
    if (name === 'dark' || name === 'gray') continue;
    lightVariantText[`--mantine-color-${name}-light-color`] = darken(shades[9], 0.3);
  }
  return {
    variables: {},
    light: {
      '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
      '--mantine-color-error': 'var(--mantine-color-red-9)',
      ...lightVariantText,
    },
    dark: {
      '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
      '--mantine-color-error': 'var(--mantine-color-red-5)',
    },
  };
};
