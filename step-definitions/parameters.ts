// Parameter types shared by the step files ({actor} is defined with the World).
import { defineParameterType } from '@cucumber/cucumber';

defineParameterType({ name: 'enterprise', regexp: /[\u4e00-\u9fa5（）()]{4,40}/, useForSnippets: false });
defineParameterType({ name: 'authEnd', regexp: /\d{4}-\d{2}-\d{2}|长期有效/, useForSnippets: false });
defineParameterType({ name: 'trust', regexp: /已认证|未认证/, useForSnippets: false });
defineParameterType({ name: 'duration', regexp: /(?:\d+(?:ms|s|m|h|d|w))+/, useForSnippets: false });
defineParameterType({ name: 'day', regexp: /\d{4}-\d{2}-\d{2}/, useForSnippets: false });
defineParameterType({
  name: 'provider',
  regexp: /face provider|identity provider|CTID provider|SMS gateway|video provider/,
  transformer: (text: string) => ({ 'face provider': 'face', 'identity provider': 'identity', 'CTID provider': 'ctid', 'SMS gateway': 'sms', 'video provider': 'video' })[text]!,
  useForSnippets: false,
});
