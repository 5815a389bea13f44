'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import ui from '../../../../components/ui.module.css';
import { useServerChange } from '../../../../lib/send-json';
import form from '../../../onboard/onboard.module.css';

type ConversionKind = 'none' | 'factor' | 'thermal';
interface Conversion {
  kind: 'factor' | 'thermal';
  kWhPerUnit?: number;
  flowTempC?: number;
  returnTempC?: number;
  m3PerUnit?: number;
}
export interface MeterDetails {
  name: string;
  location: string;
  timeZone: string;
  decimals: number;
  ocrMode: 'off' | 'fallback' | 'compare';
  conversion: Conversion | null;
}

const OCR_MODES = ['off', 'fallback', 'compare'] as const;
const CONVERSION_KINDS: ConversionKind[] = ['none', 'factor', 'thermal'];

/** A number field's value as sent: an empty field is null, for the server to name. */
const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

/**
 * The meter's details after onboarding: name, location, time zone, decimal drums, the cloud OCR's role
 * and the energy conversion (POST /api/meters/:id/settings; packages/meters updateMeterSettings).
 */
export function MeterDetailsForm({ meterId, digits, initial, timeZones }: { meterId: string; digits: number; initial: MeterDetails; timeZones: string[] }) {
  const t = useTranslations('meterSettings.details');
  const { busy, error, send } = useServerChange();
  const [details, setDetails] = useState(initial);
  const [kind, setKind] = useState<ConversionKind>(initial.conversion?.kind ?? 'none');
  const text = (v: number | undefined) => (v === undefined ? '' : String(v));
  const [conversion, setConversion] = useState({
    kWhPerUnit: text(initial.conversion?.kWhPerUnit),
    flowTempC: text(initial.conversion?.flowTempC),
    returnTempC: text(initial.conversion?.returnTempC),
    m3PerUnit: text(initial.conversion?.m3PerUnit ?? 1),
  });
  const [saved, setSaved] = useState(false);
  const field = <K extends keyof MeterDetails>(key: K, value: MeterDetails[K]) => setDetails((d) => ({ ...d, [key]: value }));
  const conversionField = (key: keyof typeof conversion) => ({
    type: 'number',
    step: 'any',
    required: true,
    value: conversion[key],
    onChange: (e: { target: { value: string } }) => setConversion((c) => ({ ...c, [key]: e.target.value })),
  });

  function conversionBody() {
    if (kind === 'factor') return { kind, kWhPerUnit: numberOrNull(conversion.kWhPerUnit) };
    if (kind === 'thermal') {
      const { flowTempC, returnTempC, m3PerUnit } = conversion;
      return { kind, flowTempC: numberOrNull(flowTempC), returnTempC: numberOrNull(returnTempC), m3PerUnit: numberOrNull(m3PerUnit) };
    }
    return null;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const answer = await send(`/api/meters/${meterId}/settings`, { body: { ...details, conversion: conversionBody() } });
    setSaved(answer !== undefined);
  }

  return (
    <form className={form.card} aria-labelledby="details-title" onSubmit={submit}>
      <h2 id="details-title">{t('title')}</h2>
      <div className={form.grid}>
        <label>
          <span>{t('name')}</span>
          <input required maxLength={120} value={details.name} onChange={(e) => field('name', e.target.value)} />
        </label>
        <label>
          <span>{t('location')}</span>
          <input maxLength={200} value={details.location} onChange={(e) => field('location', e.target.value)} />
        </label>
        <label>
          <span>{t('timeZone')}</span>
          <input list="time-zones" required value={details.timeZone} onChange={(e) => field('timeZone', e.target.value)} />
          <datalist id="time-zones">
            {timeZones.map((tz) => (
              <option key={tz} value={tz} />
            ))}
          </datalist>
        </label>
        <label>
          <span>{t('decimals', { digits })}</span>
          <input type="number" min={0} max={digits} required value={details.decimals} onChange={(e) => field('decimals', Number(e.target.value))} />
        </label>
        <label>
          <span>{t('ocrMode')}</span>
          <select value={details.ocrMode} onChange={(e) => field('ocrMode', e.target.value as MeterDetails['ocrMode'])}>
            {OCR_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {t(`ocrModes.${mode}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('conversion')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as ConversionKind)}>
            {CONVERSION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`conversionKinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {kind === 'factor' ? (
          <label>
            <span>{t('kWhPerUnit')}</span>
            <input {...conversionField('kWhPerUnit')} min={0} />
          </label>
        ) : null}
        {kind === 'thermal' ? (
          <>
            <label>
              <span>{t('flowTempC')}</span>
              <input {...conversionField('flowTempC')} />
            </label>
            <label>
              <span>{t('returnTempC')}</span>
              <input {...conversionField('returnTempC')} />
            </label>
            <label>
              <span>{t('m3PerUnit')}</span>
              <input {...conversionField('m3PerUnit')} min={0} />
            </label>
          </>
        ) : null}
      </div>
      <p className="muted">{t('ocrHelp')}</p>
      <div className={form.actions}>
        <button type="submit" className={ui.button} disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
      </div>
      {error ? <p role="alert" className={ui.alert}>{error}</p> : null}
      {saved ? <p role="status">{t('saved')}</p> : null}
    </form>
  );
}
