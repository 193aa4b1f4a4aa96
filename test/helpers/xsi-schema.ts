import { XMLParser } from 'fast-xml-parser';

/**
 * The parts of the published Cisco BroadWorks Xsi-Actions schema (targetNamespace
 * http://schema.broadsoft.com/xsi, elementFormDefault qualified) that een-bridge reads,
 * transcribed element by element, in sequence order, with minOccurs/maxOccurs, from the XSD
 * set published with the Xsi Interface Specification (R21+), as kept in the public
 * repository spr-plusnet/libxsi (xsd/ at 8af1c67c5ba9755542d9b901686e4d7849c5a9c0):
 *  - xsd/Directory/XSIDirectories.xsd: Enterprise, CallLogs, CallLogsEntries, CallLogsEntry
 *  - xsd/XSIDataTypes.xsd: UserAdditionalDetailsList, UserAdditionalEnterpriseGroupDetails
 *    (UserInfo + UserDetails + additionalDetails), UserAdditionalDetails, PartyInformation,
 *    CallStartInfo, ErrorInfo
 *  - xsd/CallSession/XSICallSession.xsd: Calls, CallInfo, Call
 * The spec text itself (Cisco BroadWorks Xtended Services Interface Interface Specification,
 * BW-XSIInterfaceSpec.pdf in the same repository) gives the URLs, parameters, paging (3.5.18),
 * wild cards (3.5.17) and character sets (3.3.4).
 * Used to check fixtures and emulator answers the way a schema validator would: element
 * names, order, required elements, no unknown elements, non-empty leaves.
 */
interface Particle {
  name: string;
  min: 0 | 1;
  many?: true;
  /** A complex type in TYPES; leaves have none. */
  type?: string;
  /** EmptyContent elements (e.g. privacy) have no text. */
  empty?: true;
}

const req = (name: string, type?: string): Particle => ({ name, min: 1, ...(type ? { type } : {}) });
const opt = (name: string, type?: string): Particle => ({ name, min: 0, ...(type ? { type } : {}) });
const list = (name: string, type?: string): Particle => ({ name, min: 0, many: true, ...(type ? { type } : {}) });
/** Optional elements of a type een-bridge never reads: accepted with any content. */
const any = (...names: string[]): Particle[] => names.map((name) => ({ name, min: 0, type: 'anyType' }));

const TYPES: Record<string, Particle[]> = {
  Enterprise: [req('startIndex'), req('numberOfRecords'), req('totalAvailableRecords'), req('enterpriseDirectory', 'UserAdditionalDetailsList')],
  UserAdditionalDetailsList: [list('directoryDetails', 'UserAdditionalEnterpriseGroupDetails')],
  UserAdditionalEnterpriseGroupDetails: [
    // UserInfo
    req('userId'), opt('externalId'), opt('firstName'), opt('lastName'), opt('hiranganaLastName'), opt('hiranganaFirstName'), opt('nameDialingName'),
    // UserDetails
    opt('groupId'), opt('serviceProvider'), opt('number'), opt('extension'),
    // In the response example of the Xsi Interface Specification (2020), 3.5.7.7, not in this XSD release.
    opt('firstNameUnicode'), opt('lastNameUnicode'),
    // UserAdditionalEnterpriseGroupDetails
    opt('additionalDetails', 'UserAdditionalDetails'),
  ],
  UserAdditionalDetails: [
    opt('mobile'), opt('yahooId'), opt('pager'), opt('emailAddress'), opt('title'), opt('location'), opt('addressLine1'), opt('addressLine2'),
    opt('city'), opt('state'), opt('zip'), opt('country'), opt('department'), opt('impId'), opt('bridgeId'), opt('roomId'), opt('serviceName'), opt('locationDialingCode'),
  ],
  CallLogs: [opt('placed', 'CallLogsEntries'), opt('received', 'CallLogsEntries'), opt('missed', 'CallLogsEntries')],
  CallLogsEntries: [opt('startIndex'), opt('numberOfRecords'), list('callLogsEntry', 'CallLogsEntry')],
  CallLogsEntry: [opt('countryCode'), req('phoneNumber'), req('name'), req('time'), req('callLogId')],
  Calls: [list('call', 'CallInfo')],
  CallInfo: [req('callId'), opt('uri')],
  Call: [
    req('callId'), req('extTrackingId'), opt('networkCallId'), req('personality'), req('state'), opt('releaseCause'),
    ...any('releasingParty'), req('remoteParty', 'PartyInformation'), ...any('redirections', 'redirect', 'endpoint', 'appearance', 'allowAnswer', 'allowRetrieve'),
    opt('alternateAddressType'), opt('huntGroupUserId'), opt('distinctiveRing'), ...any('diversionInhibited'), opt('recallType'),
    req('startTime'), opt('answerTime'), opt('heldTime'), opt('totalHeldTime'), opt('detachedTime'), opt('releaseTime'),
    ...any('acdCallInfo', 'agentEscalation', 'acdOutgoingCallInfo', 'groupCallParkLocationSelected', 'recorded', 'findMeFollowMeUserId',
      'allowedRecordingControls', 'recordingState', 'executiveUserId', 'recallFromParty', 'securityClassification', 'clientSessionInfo'),
  ],
  PartyInformation: [opt('name'), opt('address'), opt('userId'), opt('userDN'), { name: 'privacy', min: 0, empty: true }, opt('callType')],
  CallStartInfo: [req('callId'), req('externalTrackingId')],
  ErrorInfo: [opt('summary'), req('summaryEnglish'), req('errorCode')],
};

/** Enumerations the schema fixes for values we read (XSICallSession.xsd CallState, XSIDataTypes.xsd Personality). */
const ENUMS: Record<string, readonly string[]> = {
  'Call/state': ['Alerting', 'Active', 'Held', 'Remote Held', 'Detached', 'Released'],
  'Call/personality': ['Originator', 'Terminator', 'Click-to-Dial'],
};

type Ordered = Record<string, unknown>;
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: false, parseTagValue: false, trimValues: true });

function nameOf(node: Ordered): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text');
}

function textOf(children: Ordered[]): string {
  return children.map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('');
}

function check(typeName: string, path: string, children: Ordered[], problems: string[]): void {
  const elements = children.filter((c) => nameOf(c) !== undefined);
  let i = 0;
  for (const particle of TYPES[typeName]!) {
    let count = 0;
    while (i < elements.length && nameOf(elements[i]!) === particle.name && (particle.many || count === 0)) {
      const node = elements[i]!;
      const inner = node[particle.name] as Ordered[];
      const here = `${path}/${particle.name}`;
      if (particle.type === 'anyType') {
        // accepted as is
      } else if (particle.type) check(particle.type, here, inner, problems);
      else if (particle.empty) {
        if (textOf(inner) !== '') problems.push(`${here} must be empty`);
      } else {
        const value = textOf(inner);
        if (value === '') problems.push(`${here} is empty`);
        const allowed = ENUMS[`${typeName}/${particle.name}`];
        if (allowed && !allowed.includes(value)) problems.push(`${here} "${value}" is not one of ${allowed.join(', ')}`);
      }
      count += 1;
      i += 1;
    }
    if (count < particle.min) problems.push(`${path}/${particle.name} is required`);
  }
  for (const rest of elements.slice(i)) problems.push(`${path}/${nameOf(rest)} is not allowed here (unknown or out of order)`);
}

/** Problems found validating `xml` as the Xsi document `root`; [] when it conforms. */
export function xsiSchemaProblems(xml: string, root: keyof typeof TYPES): string[] {
  const doc = (parser.parse(xml) as Ordered[]).filter((n) => nameOf(n) !== '?xml');
  if (doc.length !== 1 || nameOf(doc[0]!) !== root) return [`root element is not ${root}`];
  const attrs = (doc[0]![':@'] ?? {}) as Record<string, string>;
  const problems: string[] = [];
  if (attrs.xmlns !== 'http://schema.broadsoft.com/xsi') problems.push(`${root} is not in the namespace http://schema.broadsoft.com/xsi`);
  check(root, root, doc[0]![root] as Ordered[], problems);
  return problems;
}
